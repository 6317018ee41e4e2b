/**
 * Start-up: configuration → store (migrated) → keys → HTTP server. Everything a running server
 * holds is built here once and passed down as the AppContext.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { AppContext } from './context.js';
import { KeyRing } from './crypto/key-ring.js';
import { PasswordVerifier } from './crypto/password.js';
import { createLogger } from './http/logger.js';
import { buildServer } from './http/server.js';
import { createRateLimiter, type RateLimiter } from './security/rate-limiter.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';

/** How often a process re-reads the signing keys, to pick up a rotation made elsewhere. */
const KEY_RELOAD_MS = 60_000;
/** How often expired codes, tokens and sessions are deleted. */
const CLEANUP_MS = 10 * 60_000;

export interface AppOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Skip migrations (when a primary process already ran them). */
  skipMigrations?: boolean;
}

export interface App {
  server: FastifyInstance;
  ctx: AppContext;
  /** Stops timers, the server and the store. */
  close(): Promise<void>;
}

/** Opens the store, applies migrations, loads the keys and builds the server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (() => new Date());
  const store = await openStore(config.databaseUrl, { poolSize: config.databasePoolSize });
  let rateLimiter: RateLimiter | undefined;

  try {
    if (!options.skipMigrations) {
      const { applied } = await store.migrate();
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const keys = await KeyRing.load(store, config.keyEncryptionSecret, clock);
    rateLimiter = await createRateLimiter(config, logger, () => clock().getTime());
    const passwords = new PasswordVerifier(config.passwordHashConcurrency);
    const ctx: AppContext = { config, store, keys, logger, clock, rateLimiter, passwords };
    const server = buildServer(ctx);
    const timers = startTimers(ctx);

    return {
      server,
      ctx,
      async close() {
        for (const timer of timers) clearInterval(timer);
        await server.close();
        await ctx.rateLimiter.close();
        await store.close();
      },
    };
  } catch (error) {
    await rateLimiter?.close();
    await store.close();
    throw error;
  }
}

function startTimers(ctx: AppContext): NodeJS.Timeout[] {
  const reload = setInterval(() => {
    ctx.keys.reload().catch((err) => ctx.logger.error({ err }, 'key reload failed'));
  }, KEY_RELOAD_MS);
  const cleanup = setInterval(() => {
    deleteExpired(ctx.store, ctx.clock()).catch((err) =>
      ctx.logger.error({ err }, 'clean-up of expired rows failed'),
    );
  }, CLEANUP_MS);
  reload.unref();
  cleanup.unref();
  return [reload, cleanup];
}

/** Deletes what can no longer be used: expired codes, refresh tokens, denied jtis, sessions. */
export async function deleteExpired(store: Store, now: Date): Promise<number> {
  const counts = await Promise.all([
    store.codes.deleteExpired(now),
    store.refreshTokens.deleteExpired(now),
    store.revokedTokens.deleteExpired(now),
    store.sessions.deleteExpired(now),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}
