import type postgres from 'postgres';
import { toStoreConflict } from '../errors.js';
import type { SigningKey, SigningKeyRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg } from './rows.js';

/** Signing keys on PostgreSQL. At most one active (unretired) key per alg, by a unique index. */
export function postgresKeys(sql: Sql): SigningKeyRepository {
  /** One key as an insertable row; `use` is always 'sig' and takes the column default. */
  function values(key: SigningKey) {
    return {
      kid: key.kid,
      alg: key.alg,
      public_jwk: sql.json(key.publicJwk as postgres.JSONValue),
      private_key: key.privateKey,
      encrypted: key.encrypted,
      created_at: ms(key.createdAt),
      retired_at: ms(key.retiredAt),
      expires_at: ms(key.expiresAt),
    };
  }

  return {
    async listPublished(now) {
      const rows = await sql`
        SELECT * FROM signing_keys WHERE expires_at IS NULL OR expires_at > ${ms(now)}
        ORDER BY created_at DESC, kid COLLATE "C"`;
      return rows.map(pg.toSigningKey);
    },

    async listAll() {
      const rows = await sql`SELECT * FROM signing_keys ORDER BY created_at DESC, kid COLLATE "C"`;
      return rows.map(pg.toSigningKey);
    },

    async create(key) {
      try {
        await sql`INSERT INTO signing_keys ${sql(values(key))}`;
      } catch (error) {
        throw toStoreConflict(error, 'signing key');
      }
    },

    async rotate(key, retireExpiresAt, now) {
      try {
        await sql.begin(async (tx) => {
          // Rotations queue on this lock, so that each one's UPDATE (a new statement, a new
          // snapshot) sees the key the previous one inserted and retires it, as on SQLite.
          // Plain reads of the table go on meanwhile.
          await tx`LOCK TABLE signing_keys IN EXCLUSIVE MODE`;
          await tx`
            UPDATE signing_keys SET retired_at = ${ms(now)}, expires_at = ${ms(retireExpiresAt)}
            WHERE alg = ${key.alg} AND retired_at IS NULL`;
          await tx`INSERT INTO signing_keys ${tx(values(key))}`;
        });
      } catch (error) {
        throw toStoreConflict(error, 'signing key');
      }
    },

    async ensureInitial(keys) {
      // The partial unique index turns a second "first key" into a no-op rather than an error;
      // a process that loses the race waits for the winner's commit, so that the SELECT (a new
      // statement) sees the winner's keys.
      if (keys.length > 0) {
        await sql`INSERT INTO signing_keys ${sql(keys.map(values))} ON CONFLICT DO NOTHING`;
      }
      const rows = await sql`SELECT * FROM signing_keys WHERE retired_at IS NULL ORDER BY alg`;
      return rows.map(pg.toSigningKey);
    },
  };
}
