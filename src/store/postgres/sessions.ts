import { toStoreConflict } from '../errors.js';
import type { LoginSessionRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg } from './rows.js';

/** Login sessions on PostgreSQL, looked up by the hash of the cookie value. */
export function postgresSessions(sql: Sql): LoginSessionRepository {
  return {
    async create(session) {
      try {
        await sql`
          INSERT INTO login_sessions (id_hash, user_id, auth_time, expires_at)
          VALUES (${session.idHash}, ${session.userId}, ${ms(session.authTime)},
            ${ms(session.expiresAt)})`;
      } catch (error) {
        throw toStoreConflict(error, 'login session');
      }
    },

    async find(idHash, now) {
      const [row] = await sql`
        SELECT * FROM login_sessions WHERE id_hash = ${idHash} AND expires_at > ${ms(now)}`;
      return row ? pg.toSession(row) : null;
    },

    async delete(idHash) {
      await sql`DELETE FROM login_sessions WHERE id_hash = ${idHash}`;
    },

    async deleteExpired(now) {
      const { count } = await sql`DELETE FROM login_sessions WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
