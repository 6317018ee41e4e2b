import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { KeyRing } from './crypto/key-ring.js';
import type { PasswordVerifier } from './crypto/password.js';
import type { RateLimiter } from './security/rate-limiter.js';
import type { Store } from './store/types.js';

/**
 * What every endpoint needs, built once at start-up by createApp (src/app.ts) and passed to each
 * route module's `register`.
 */
export interface AppContext {
  config: Config;
  store: Store;
  keys: KeyRing;
  logger: Logger;
  /** Throttling counters, shared through Redis when REDIS_URL is set. */
  rateLimiter: RateLimiter;
  /** Password checks, a bounded number at a time (AUTHLY_PASSWORD_HASH_CONCURRENCY). */
  passwords: PasswordVerifier;
  /** The current time; injected so that tests control expiry without sleeping. */
  clock: () => Date;
}
