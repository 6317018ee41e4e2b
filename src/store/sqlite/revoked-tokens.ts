import type { RevokedAccessTokenRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { ms } from './rows.js';

/** Revoked access-token ids on SQLite, kept until the token would have expired anyway. */
export function sqliteRevokedTokens(db: Db, writer: Writer): RevokedAccessTokenRepository {
  // Revoking twice keeps the later expiry, so that the denial never ends early.
  const insert = statement(
    db,
    `INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)
     ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
  );
  const exists = statement(db, 'SELECT 1 FROM revoked_access_tokens WHERE jti = ?');
  const expired = statement(db, 'DELETE FROM revoked_access_tokens WHERE expires_at <= ?');

  return {
    async revoke(jti, expiresAt) {
      await writer.write(() => insert().run(jti, ms(expiresAt)));
    },

    async isRevoked(jti) {
      return exists().get(jti) !== undefined;
    },

    async deleteExpired(now) {
      return (await writer.write(() => expired().run(ms(now)))).changes;
    },
  };
}
