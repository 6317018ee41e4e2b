/**
 * How data commands reach the database: the same configuration as the server (DATABASE_URL,
 * default `sqlite:./data/authly.db`), one connection, and the store closed whatever happens.
 */
import { loadConfig, type Config } from '../config/config.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';

export interface StoreOptions {
  /**
   * Apply pending migrations first, as the server does at start (default true), so that a
   * command run before the first `authly serve` finds its tables.
   */
  migrate?: boolean;
}

/** Loads the configuration, opens the store, runs `work` with it and closes it again. */
export async function withStore<T>(
  work: (store: Store, config: Config) => Promise<T>,
  options: StoreOptions = {},
): Promise<T> {
  const config = loadConfig(process.env);
  const store = await openStore(config.databaseUrl, { poolSize: 1 });
  try {
    if (options.migrate ?? true) await store.migrate();
    return await work(store, config);
  } finally {
    await store.close();
  }
}
