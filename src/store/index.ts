/**
 * The store: one entry point that opens the engine named by DATABASE_URL. Callers see only the
 * repository interfaces of ./types.ts and the errors of ./errors.ts.
 */
import { StoreUnavailable } from './errors.js';
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './types.js';

export { isUniqueViolation, StoreConflict, StoreUnavailable } from './errors.js';
export type * from './types.js';

/** Options for openStore. */
export interface StoreOptions {
  /** Most PostgreSQL connections this process holds (default 10); SQLite ignores it. */
  poolSize?: number;
}

/**
 * Opens the store for `databaseUrl`: `sqlite:<path>` (the folder is created when missing) or
 * `postgres://…` / `postgresql://…`. PostgreSQL is checked with one query, so that a bad URL or
 * a server that is down fails here. Throws StoreUnavailable (`ERR_STORE_UNAVAILABLE`) when the
 * database cannot be opened or reached. Does not migrate: call `store.migrate()`.
 */
export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (path === '') throw new StoreUnavailable('DATABASE_URL sqlite: needs a file path');
    return openSqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return openPostgresStore(databaseUrl, options.poolSize ?? 10);
  }
  throw new StoreUnavailable('DATABASE_URL must start with sqlite: or postgres://');
}
