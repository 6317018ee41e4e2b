import { toStoreConflict } from '../errors.js';
import type { LoginSessionRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { ms, toSession, type Row } from './rows.js';

/** Login sessions on SQLite, looked up by the hash of the cookie value. */
export function sqliteSessions(db: Db, writer: Writer): LoginSessionRepository {
  const insert = statement(
    db,
    'INSERT INTO login_sessions (id_hash, user_id, auth_time, expires_at) VALUES (?, ?, ?, ?)',
  );
  const live = statement(
    db,
    'SELECT * FROM login_sessions WHERE id_hash = ? AND expires_at > ?',
  );
  const remove = statement(db, 'DELETE FROM login_sessions WHERE id_hash = ?');
  const expired = statement(db, 'DELETE FROM login_sessions WHERE expires_at <= ?');

  return {
    async create(session) {
      try {
        const { idHash, userId, authTime, expiresAt } = session;
        await writer.write(() => insert().run(idHash, userId, ms(authTime), ms(expiresAt)));
      } catch (error) {
        throw toStoreConflict(error, 'login session');
      }
    },

    async find(idHash, now) {
      const row = live().get(idHash, ms(now)) as Row | undefined;
      return row ? toSession(row) : null;
    },

    async delete(idHash) {
      await writer.write(() => remove().run(idHash));
    },

    async deleteExpired(now) {
      return (await writer.write(() => expired().run(ms(now)))).changes;
    },
  };
}
