/**
 * Fixed-window counters for throttling (sign-in attempts per address, per account). In memory for
 * one process, or in Redis (REDIS_URL) so that every worker and node shares the same counts.
 */
import { Redis } from 'ioredis';

export interface RateLimiter {
  /** Adds one hit to `key` and answers the hits in the current window and seconds left in it. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetIn: number }>;
  /** The hits in the current window, without adding one. */
  peek(key: string): Promise<{ count: number; resetIn: number }>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Per-process counters; windows are swept lazily. */
export class MemoryRateLimiter implements RateLimiter {
  private windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowSeconds: number) {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size > 100_000) this.sweep(now);
      window = { count: 0, endsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetIn: Math.ceil((window.endsAt - now) / 1000) };
  }

  async peek(key: string) {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return { count: 0, resetIn: 0 };
    return { count: window.count, resetIn: Math.ceil((window.endsAt - now) / 1000) };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }

  async close() {}

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/** Counters shared through Redis: INCR plus an expiry set on the first hit of a window. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'authly:rl:') {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  }

  async hit(key: string, windowSeconds: number) {
    const name = this.prefix + key;
    const [[, count], [, ttl]] = (await this.redis
      .multi()
      .incr(name)
      .ttl(name)
      .exec()) as [[null, number], [null, number]];
    if (ttl < 0) {
      await this.redis.expire(name, windowSeconds);
      return { count, resetIn: windowSeconds };
    }
    return { count, resetIn: ttl };
  }

  async peek(key: string) {
    const name = this.prefix + key;
    const [[, raw], [, ttl]] = (await this.redis.multi().get(name).ttl(name).exec()) as [
      [null, string | null],
      [null, number],
    ];
    return { count: raw ? Number(raw) : 0, resetIn: Math.max(0, ttl) };
  }

  async reset(key: string) {
    await this.redis.del(this.prefix + key);
  }

  async close() {
    await this.redis.quit();
  }
}

/** The limiter for this configuration: Redis when REDIS_URL is set, else memory. */
export function createRateLimiter(redisUrl: string | null): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
