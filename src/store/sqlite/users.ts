import { randomUUID } from 'node:crypto';
import { toStoreConflict } from '../errors.js';
import type { NewUser, User, UserRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { ms, toUser, type Row } from './rows.js';

/** Users on SQLite. */
export function sqliteUsers(db: Db, writer: Writer): UserRepository {
  const insert = statement(
    db,
    `INSERT INTO users (id, username, email, name, password_hash, is_admin, created_at)
     VALUES (@id, @username, @email, @name, @passwordHash, @isAdmin, @createdAt) RETURNING *`,
  );
  const byId = statement(db, 'SELECT * FROM users WHERE id = ?');
  const byUsername = statement(db, 'SELECT * FROM users WHERE username = ?');
  const byEmail = statement(db, 'SELECT * FROM users WHERE email = ?');
  const all = statement(db, 'SELECT * FROM users ORDER BY username');
  const attempt = statement(
    db,
    `UPDATE users SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= @threshold
         THEN @lockUntil ELSE locked_until END
     WHERE id = @id AND (locked_until IS NULL OR locked_until <= @now) RETURNING failed_logins`,
  );
  const succeeded = statement(
    db,
    'UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?',
  );
  // Codes and refresh tokens have no foreign keys (see the migration), so they go explicitly;
  // sessions and consents follow through ON DELETE CASCADE.
  const removeCodes = statement(db, 'DELETE FROM authorization_codes WHERE user_id = ?');
  const removeTokens = statement(db, 'DELETE FROM refresh_tokens WHERE user_id = ?');
  const remove = statement(db, 'DELETE FROM users WHERE id = ?');
  const removeAll = db.transaction((id: string) => {
    removeCodes().run(id);
    removeTokens().run(id);
    return remove().run(id).changes > 0;
  });

  return {
    async create(user: NewUser): Promise<User> {
      try {
        const row = await writer.write(() => insert().get({
          id: randomUUID(),
          username: user.username,
          email: user.email ?? null,
          name: user.name ?? null,
          passwordHash: user.passwordHash,
          isAdmin: user.isAdmin ? 1 : 0,
          createdAt: Date.now(),
        }));
        return toUser(row as Row);
      } catch (error) {
        throw toStoreConflict(error, 'user');
      }
    },

    async findById(id) {
      const row = byId().get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },

    async findByUsername(username) {
      const row = byUsername().get(username) as Row | undefined;
      return row ? toUser(row) : null;
    },

    async findByEmail(email) {
      const row = byEmail().get(email) as Row | undefined;
      return row ? toUser(row) : null;
    },

    async list() {
      return (all().all() as Row[]).map(toUser);
    },

    async countSignInAttempt(id, now, threshold, lockUntil) {
      const values = { id, now: ms(now), threshold, lockUntil: ms(lockUntil) };
      const row = (await writer.write(() => attempt().get(values))) as
        | { failed_logins: number }
        | undefined;
      return row?.failed_logins ?? null;
    },

    async recordSuccessfulLogin(id) {
      await writer.write(() => succeeded().run(id));
    },

    async delete(id) {
      return writer.write(() => removeAll(id));
    },
  };
}
