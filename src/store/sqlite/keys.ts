import { toStoreConflict } from '../errors.js';
import type { SigningKey, SigningKeyRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { json, ms, toSigningKey, type Row } from './rows.js';

const COLUMNS = `(kid, alg, use, public_jwk, private_key, encrypted, created_at, retired_at,
  expires_at) VALUES (@kid, @alg, @use, @publicJwk, @privateKey, @encrypted, @createdAt,
  @retiredAt, @expiresAt)`;

/** Signing keys on SQLite. At most one active (unretired) key per alg, by a unique index. */
export function sqliteKeys(db: Db, writer: Writer): SigningKeyRepository {
  const insert = statement(db, `INSERT INTO signing_keys ${COLUMNS}`);
  // The partial unique index turns a second "first key" into a no-op rather than an error.
  const insertIfFirst = statement(db, `INSERT INTO signing_keys ${COLUMNS} ON CONFLICT DO NOTHING`);
  const published = statement(
    db,
    `SELECT * FROM signing_keys WHERE expires_at IS NULL OR expires_at > ?
     ORDER BY created_at DESC, kid`,
  );
  const all = statement(db, 'SELECT * FROM signing_keys ORDER BY created_at DESC, kid');
  const active = statement(
    db,
    'SELECT * FROM signing_keys WHERE retired_at IS NULL ORDER BY alg',
  );
  const retire = statement(
    db,
    `UPDATE signing_keys SET retired_at = ?, expires_at = ?
     WHERE alg = ? AND retired_at IS NULL`,
  );

  const rotate = db.transaction((key: SigningKey, retireExpiresAt: Date, now: Date) => {
    retire().run(ms(now), ms(retireExpiresAt), key.alg);
    insert().run(params(key));
  });
  const ensureInitial = db.transaction((keys: SigningKey[]) => {
    for (const key of keys) insertIfFirst().run(params(key));
    return (active().all() as Row[]).map(toSigningKey);
  });

  return {
    async listPublished(now) {
      return (published().all(ms(now)) as Row[]).map(toSigningKey);
    },

    async listAll() {
      return (all().all() as Row[]).map(toSigningKey);
    },

    async create(key) {
      try {
        await writer.write(() => insert().run(params(key)));
      } catch (error) {
        throw toStoreConflict(error, 'signing key');
      }
    },

    async rotate(key, retireExpiresAt, now) {
      try {
        await writer.write(() => rotate(key, retireExpiresAt, now));
      } catch (error) {
        throw toStoreConflict(error, 'signing key');
      }
    },

    async ensureInitial(keys) {
      return writer.write(() => ensureInitial(keys));
    },
  };
}

function params(key: SigningKey): Record<string, unknown> {
  return {
    kid: key.kid,
    alg: key.alg,
    use: key.use,
    publicJwk: json(key.publicJwk),
    privateKey: key.privateKey,
    encrypted: key.encrypted ? 1 : 0,
    createdAt: ms(key.createdAt),
    retiredAt: ms(key.retiredAt),
    expiresAt: ms(key.expiresAt),
  };
}
