import { randomUUID } from 'node:crypto';
import { toStoreConflict } from '../errors.js';
import type { NewUser, User, UserRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg, storable } from './rows.js';

/** Users on PostgreSQL. */
export function postgresUsers(sql: Sql): UserRepository {
  async function findOne(rows: Promise<Record<string, unknown>[]>): Promise<User | null> {
    const [row] = await rows;
    return row ? pg.toUser(row) : null;
  }

  return {
    async create(user: NewUser) {
      try {
        const [row] = await sql`
          INSERT INTO users (id, username, email, name, password_hash, is_admin, created_at)
          VALUES (${randomUUID()}, ${user.username}, ${user.email ?? null}, ${user.name ?? null},
            ${user.passwordHash}, ${user.isAdmin ?? false}, ${Date.now()})
          RETURNING *`;
        return pg.toUser(row);
      } catch (error) {
        throw toStoreConflict(error, 'user');
      }
    },

    async findById(id) {
      if (!storable(id)) return null;
      return findOne(sql`SELECT * FROM users WHERE id = ${id}`);
    },

    async findByUsername(username) {
      if (!storable(username)) return null;
      return findOne(sql`SELECT * FROM users WHERE username = ${username}`);
    },

    async findByEmail(email) {
      if (!storable(email)) return null;
      return findOne(sql`SELECT * FROM users WHERE email = ${email}`);
    },

    async list() {
      // COLLATE "C" orders by code point, as SQLite's BINARY does, whatever the database locale.
      const rows = await sql`SELECT * FROM users ORDER BY username COLLATE "C"`;
      return rows.map(pg.toUser);
    },

    async countSignInAttempt(id, now, threshold, lockUntil) {
      if (!storable(id)) return null;
      const [row] = await sql`
        UPDATE users
        SET failed_logins = failed_logins + 1,
          locked_until = CASE WHEN failed_logins + 1 >= ${threshold}
            THEN ${ms(lockUntil)}::bigint ELSE locked_until END
        WHERE id = ${id} AND (locked_until IS NULL OR locked_until <= ${ms(now)}::bigint)
        RETURNING failed_logins`;
      return row ? Number(row.failed_logins) : null;
    },

    async recordSuccessfulLogin(id) {
      await sql`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ${id}`;
    },

    async delete(id) {
      // Codes and refresh tokens have no foreign keys (see the migration): one statement removes
      // them with the user, atomically; sessions and consents follow through ON DELETE CASCADE.
      const rows = await sql`
        WITH codes AS (DELETE FROM authorization_codes WHERE user_id = ${id}),
          tokens AS (DELETE FROM refresh_tokens WHERE user_id = ${id})
        DELETE FROM users WHERE id = ${id} RETURNING id`;
      return rows.length > 0;
    },
  };
}
