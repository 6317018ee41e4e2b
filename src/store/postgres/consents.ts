import type { ConsentRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg } from './rows.js';

/** Consents on PostgreSQL: one row per user and client holding every scope granted so far. */
export function postgresConsents(sql: Sql): ConsentRepository {
  return {
    async grant(userId, clientId, scope, now) {
      // One upsert: ON CONFLICT locks the row and sees its latest version, so that two grants at
      // once both keep their scopes. New scopes are appended in the order given, as on SQLite.
      await sql`
        INSERT INTO consents (user_id, client_id, scope, granted_at)
        VALUES (${userId}, ${clientId}, ${[...new Set(scope)]}, ${ms(now)})
        ON CONFLICT (user_id, client_id) DO UPDATE
        SET scope = consents.scope || ARRAY(
            SELECT added.name FROM unnest(excluded.scope) WITH ORDINALITY AS added (name, n)
            WHERE added.name <> ALL (consents.scope)
            ORDER BY added.n),
          granted_at = excluded.granted_at`;
    },

    async find(userId, clientId) {
      const [row] = await sql`
        SELECT * FROM consents WHERE user_id = ${userId} AND client_id = ${clientId}`;
      return row ? pg.toConsent(row) : null;
    },

    async revoke(userId, clientId) {
      await sql`DELETE FROM consents WHERE user_id = ${userId} AND client_id = ${clientId}`;
    },
  };
}
