/**
 * Throttling counters shared through Redis, so that every worker and node counts the same
 * attempts.
 *
 * While Redis cannot be reached (down at start, gone since, or not answering within
 * COMMAND_TIMEOUT_MS), the counters fall back to this process's memory, and Redis is used again
 * as soon as it answers. A sign-in is never refused or failed because Redis is away: Redis only
 * makes the per-address throttle shared, while the per-account lockout, the main defence against
 * guessing one password, lives in the database and is unaffected. The outage is logged once
 * (`rate_limiter.unavailable`, level error) and so is the recovery (`rate_limiter.restored`).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RateLimiter, WindowCount } from './rate-limiter.js';

/** Longest wait for one Redis command before the local counters answer instead. */
export const COMMAND_TIMEOUT_MS = 500;
/** Longest wait for the first connection at start. */
const CONNECT_TIMEOUT_MS = 2000;

/** Takes one hit back, only from a window that is still running (never makes a key without TTL). */
const RELEASE = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0`;

export interface RedisRateLimiterOptions {
  /** Put before every key, so that several deployments can share one Redis. */
  prefix: string;
  logger: Logger;
  /** Answers while Redis cannot. */
  fallback: RateLimiter;
}

type Reply<T> = [Error | null, T];

function replies<T extends unknown[]>(result: Reply<unknown>[] | null): T {
  if (!result) throw new Error('Redis transaction aborted');
  for (const [error] of result) if (error) throw error;
  return result.map(([, value]) => value) as T;
}

/** Counters in Redis, with the local fallback described above. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly fallback: RateLimiter;
  private unavailable = false;

  constructor(url: string, options: RedisRateLimiterOptions) {
    this.prefix = `${options.prefix}rl:`;
    this.logger = options.logger;
    this.fallback = options.fallback;
    this.redis = new Redis(url, {
      // Fail at once while disconnected instead of queueing: the fallback answers meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
    // Without a listener ioredis prints every failed reconnection; outages are logged once, below.
    this.redis.on('error', (err: Error) => this.logger.debug({ err }, 'Redis connection error'));
  }

  /** Resolves true once connected, false when the first attempt fails or takes too long. */
  connected(): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        this.redis.off('error', onError);
        resolve(ok);
      };
      const onReady = () => done(true);
      const onError = () => done(false);
      const timer = setTimeout(() => done(false), CONNECT_TIMEOUT_MS);
      this.redis.once('ready', onReady);
      this.redis.once('error', onError);
    });
  }

  hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const name = this.prefix + key;
    return this.shared(
      async () => {
        // One atomic round trip: the window (and its expiry) starts with the first hit, so a key
        // never exists without a TTL, whatever happens between commands.
        const [, count, ttl] = replies<[unknown, number, number]>(
          await this.redis.multi().set(name, '0', 'EX', windowSeconds, 'NX').incr(name).ttl(name)
            .exec(),
        );
        return { count, resetIn: ttl > 0 ? ttl : windowSeconds };
      },
      () => this.fallback.hit(key, windowSeconds),
    );
  }

  peek(key: string): Promise<WindowCount> {
    const name = this.prefix + key;
    return this.shared(
      async () => {
        const [raw, ttl] = replies<[string | null, number]>(
          await this.redis.multi().get(name).ttl(name).exec(),
        );
        return { count: raw ? Number(raw) : 0, resetIn: Math.max(0, ttl) };
      },
      () => this.fallback.peek(key),
    );
  }

  release(key: string): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.eval(RELEASE, 1, this.prefix + key);
      },
      () => this.fallback.release(key),
    );
  }

  reset(key: string): Promise<void> {
    return this.shared(
      async () => {
        await this.redis.del(this.prefix + key);
      },
      () => this.fallback.reset(key),
    );
  }

  async close(): Promise<void> {
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
    await this.fallback.close();
  }

  /** Runs `inRedis`, or `locally` when Redis is not connected or the command fails. */
  private async shared<T>(inRedis: () => Promise<T>, locally: () => Promise<T>): Promise<T> {
    if (this.redis.status === 'ready') {
      try {
        const result = await inRedis();
        if (this.unavailable) {
          this.unavailable = false;
          this.logger.info({ event: 'rate_limiter.restored' }, 'Redis answers again');
        }
        return result;
      } catch (err) {
        this.markUnavailable(err);
      }
    } else {
      this.markUnavailable(new Error(`the Redis connection is ${this.redis.status}`));
    }
    return locally();
  }

  private markUnavailable(err: unknown): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.logger.error(
      { event: 'rate_limiter.unavailable', err },
      'Redis is unreachable; sign-in throttling counts per process until it answers',
    );
  }
}
