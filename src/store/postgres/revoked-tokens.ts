import type { RevokedAccessTokenRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms } from './rows.js';

/** Revoked access-token ids on PostgreSQL, kept until the token would have expired anyway. */
export function postgresRevokedTokens(sql: Sql): RevokedAccessTokenRepository {
  return {
    async revoke(jti, expiresAt) {
      // Revoking twice keeps the later expiry, so that the denial never ends early.
      await sql`
        INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (${jti}, ${ms(expiresAt)})
        ON CONFLICT (jti) DO UPDATE
        SET expires_at = GREATEST(revoked_access_tokens.expires_at, excluded.expires_at)`;
    },

    async isRevoked(jti) {
      const rows = await sql`SELECT 1 FROM revoked_access_tokens WHERE jti = ${jti}`;
      return rows.length > 0;
    },

    async deleteExpired(now) {
      const { count } = await sql`
        DELETE FROM revoked_access_tokens WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
