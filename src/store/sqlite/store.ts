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
import { Writer } from './writer.js';

/**
 * The SQLite store on the file at `path`. better-sqlite3 is synchronous: each write runs whole
 * inside a group commit of the writer (./writer.ts) before anything else runs, which is what makes
 * it atomic within one process; across processes SQLite's file lock and the writer's IMMEDIATE
 * transactions do the same. Reads run at once, outside the groups.
 */
export function openSqliteStore(path: string): Store {
  let db: Db;
  try {
    db = openDatabase(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailable(`cannot open SQLite database ${path}: ${reason}`, { cause: error });
  }

  const writer = new Writer(db, path === ':memory:' ? null : `${path}-wal`);
  return {
    engine: 'sqlite',
    users: sqliteUsers(db, writer),
    clients: sqliteClients(db, writer),
    scopes: sqliteScopes(db, writer),
    codes: sqliteCodes(db, writer),
    refreshTokens: sqliteRefreshTokens(db, writer),
    revokedTokens: sqliteRevokedTokens(db, writer),
    sessions: sqliteSessions(db, writer),
    consents: sqliteConsents(db, writer),
    keys: sqliteKeys(db, writer),

    async migrate() {
      const applied = migrateSqlite(db, migrations);
      // Migrations commit outside the writer's groups: make them durable the same way.
      await writer.sync();
      return { applied };
    },

    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (error) {
        throw new StoreUnavailable(`SQLite database ${path} is not usable`, { cause: error });
      }
    },

    async close() {
      writer.close();
      if (db.open) db.close();
    },
  };
}
