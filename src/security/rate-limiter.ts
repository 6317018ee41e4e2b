/**
 * Fixed-window counters for throttling (sign-in attempts per address). In memory for one process,
 * or in Redis (REDIS_URL) so that every worker and node shares the same counts; see
 * ./redis-rate-limiter.ts for what happens while Redis cannot be reached.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** The hits in a key's current window and the whole seconds left in it. */
export interface WindowCount {
  count: number;
  resetIn: number;
}

export interface RateLimiter {
  /** Adds one hit to `key`; a new window of `windowSeconds` starts when none is running. */
  hit(key: string, windowSeconds: number): Promise<WindowCount>;
  /** The hits in the current window, without adding one. */
  peek(key: string): Promise<WindowCount>;
  /** Takes one hit back from the current window (an attempt that turned out well). */
  release(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Above this many keys, windows that have ended are swept before a new one is added. */
const SWEEP_ABOVE = 100_000;

/** Per-process counters; windows are swept lazily. */
export class MemoryRateLimiter implements RateLimiter {
  private windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowSeconds: number) {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size > SWEEP_ABOVE) this.sweep(now);
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

  async release(key: string) {
    const window = this.windows.get(key);
    if (window && window.endsAt > this.now() && window.count > 0) window.count -= 1;
  }

  async reset(key: string) {
    this.windows.delete(key);
  }

  async close() {}

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * The limiter for this configuration: Redis when REDIS_URL is set (after waiting briefly for the
 * first connection, so that the first sign-ins are counted where every node sees them), else
 * memory. `now` is the server's clock, so that tests move windows forward without sleeping.
 */
export async function createRateLimiter(
  config: Pick<Config, 'redisUrl' | 'redisPrefix'>,
  logger: Logger,
  now: () => number = Date.now,
): Promise<RateLimiter> {
  if (!config.redisUrl) return new MemoryRateLimiter(now);

  const limiter = new RedisRateLimiter(config.redisUrl, {
    prefix: config.redisPrefix,
    logger,
    fallback: new MemoryRateLimiter(now),
  });
  if (!(await limiter.connected())) {
    logger.warn(
      { event: 'rate_limiter.unavailable' },
      'Redis did not answer at start; sign-in throttling counts per process until it does',
    );
  }
  return limiter;
}
