import { StoreUnavailable } from '../errors.js';
import type { Store } from '../types.js';
import { sqliteClients } from './clients.js';
import { sqliteCodes } from './codes.js';
import { sqliteConsents } from './consents.js';
import { openDatabase, type Db } from './database.js';
import { sqliteKeys } from './keys.js';
import { migrateSqlite } from './migrate.js';
import { migrations } from './migrations/index.js';
import { sqliteRefreshTokens } from './refresh-tokens.js';
import { sqliteRevokedTokens } from './revoked-tokens.js';
import { sqliteScopes } from './scopes.js';
import { sqliteSessions } from './sessions.js';
import { sqliteUsers } from './users.js';

/**
 * The SQLite store on the file at `path`. better-sqlite3 is synchronous: each method finishes
 * before it yields, which is what makes single statements atomic within one process; across
 * processes SQLite's file lock and IMMEDIATE transactions do the same.
 */
export function openSqliteStore(path: string): Store {
  let db: Db;
  try {
    db = openDatabase(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailable(`cannot open SQLite database ${path}: ${reason}`, { cause: error });
  }

  return {
    engine: 'sqlite',
    users: sqliteUsers(db),
    clients: sqliteClients(db),
    scopes: sqliteScopes(db),
    codes: sqliteCodes(db),
    refreshTokens: sqliteRefreshTokens(db),
    revokedTokens: sqliteRevokedTokens(db),
    sessions: sqliteSessions(db),
    consents: sqliteConsents(db),
    keys: sqliteKeys(db),

    async migrate() {
      return { applied: migrateSqlite(db, migrations) };
    },

    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (error) {
        throw new StoreUnavailable(`SQLite database ${path} is not usable`, { cause: error });
      }
    },

    async close() {
      if (db.open) db.close();
    },
  };
}
