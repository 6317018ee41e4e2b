import type { Store } from '../types.js';
import { postgresClients } from './clients.js';
import { postgresCodes } from './codes.js';
import { postgresConsents } from './consents.js';
import { openPool, unavailable } from './database.js';
import { postgresKeys } from './keys.js';
import { migratePostgres } from './migrate.js';
import { migrations } from './migrations/index.js';
import { postgresRefreshTokens } from './refresh-tokens.js';
import { postgresRevokedTokens } from './revoked-tokens.js';
import { postgresScopes } from './scopes.js';
import { postgresSessions } from './sessions.js';
import { postgresUsers } from './users.js';

/**
 * The PostgreSQL store at `url`, holding at most `poolSize` connections. Throws StoreUnavailable
 * (`ERR_STORE_UNAVAILABLE`) when the server cannot be reached or refuses the connection.
 * Atomicity comes from single statements (READ COMMITTED re-checks a row a concurrent writer
 * changed) and, where a step needs several, from transactions with explicit locks.
 */
export async function openPostgresStore(url: string, poolSize: number): Promise<Store> {
  const sql = await openPool(url, poolSize);

  return {
    engine: 'postgres',
    users: postgresUsers(sql),
    clients: postgresClients(sql),
    scopes: postgresScopes(sql),
    codes: postgresCodes(sql),
    refreshTokens: postgresRefreshTokens(sql),
    revokedTokens: postgresRevokedTokens(sql),
    sessions: postgresSessions(sql),
    consents: postgresConsents(sql),
    keys: postgresKeys(sql),

    async migrate() {
      return { applied: await migratePostgres(sql, migrations) };
    },

    async ping() {
      try {
        await sql`SELECT 1`;
      } catch (error) {
        throw unavailable(url, error);
      }
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
