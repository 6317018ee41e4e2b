import { toStoreConflict } from '../errors.js';
import type { RefreshToken, RefreshTokenRepository } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg, type Row } from './rows.js';

/** Refresh tokens on PostgreSQL. */
export function postgresRefreshTokens(sql: Sql): RefreshTokenRepository {
  return {
    async create(token) {
      try {
        await sql`
          INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id,
            scope, auth_time, issued_at, expires_at, family_expires_at)
          VALUES (${token.tokenHash}, ${token.familyId}, ${token.parentHash}, ${token.clientId},
            ${token.userId}, ${token.scope}, ${ms(token.authTime)}, ${ms(token.issuedAt)},
            ${ms(token.expiresAt)}, ${ms(token.familyExpiresAt)})`;
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }
    },

    async find(tokenHash) {
      const [row] = await sql`SELECT * FROM refresh_tokens WHERE token_hash = ${tokenHash}`;
      return row ? pg.toRefreshToken(row) : null;
    },

    async rotate(tokenHash, request, now) {
      // One statement, one round trip: spend the token and insert its successor only if the
      // spend succeeded. Of concurrent rotations, the first locks the row; the others wait,
      // re-check the conditions once it commits, and spend nothing. A token whose parent was
      // revoked is not spent either: a family revocation that ran alongside the rotation which
      // created it could not see it.
      const at = ms(now);
      let rows: Row[];
      try {
        rows = await sql`
          WITH spent AS (
            UPDATE refresh_tokens AS t SET used_at = ${at}
            WHERE t.token_hash = ${tokenHash} AND t.used_at IS NULL AND t.revoked_at IS NULL
              AND t.client_id = ${request.clientId} AND t.user_id IS NOT NULL
              AND t.expires_at > ${at} AND t.family_expires_at > ${at}
              AND (${request.scope}::text[] IS NULL OR t.scope @> ${request.scope}::text[])
              AND NOT EXISTS (
                SELECT 1 FROM refresh_tokens AS parent
                WHERE parent.token_hash = t.parent_hash AND parent.revoked_at IS NOT NULL)
            RETURNING t.*
          ), stored AS (
            INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id,
              scope, auth_time, issued_at, expires_at, family_expires_at)
            SELECT ${request.nextHash}, family_id, token_hash, client_id, user_id, scope,
              auth_time, ${at}::bigint, LEAST(${ms(request.nextExpiresAt)}::bigint,
              family_expires_at), family_expires_at
            FROM spent
            RETURNING expires_at
          )
          SELECT spent.*, stored.expires_at AS next_expires_at FROM spent, stored`;
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }

      const [rotated] = rows;
      if (!rotated) return null;
      // The successor is what the INSERT above wrote, rebuilt here rather than read back as a
      // second row: only its capped expiry is not known in advance.
      const previous = pg.toRefreshToken(rotated);
      const next: RefreshToken = {
        ...previous,
        tokenHash: request.nextHash,
        parentHash: previous.tokenHash,
        issuedAt: new Date(now.getTime()),
        expiresAt: new Date(rotated.next_expires_at as number),
        usedAt: null,
        revokedAt: null,
      };
      return { previous, next };
    },

    async revokeFamily(familyId, now) {
      const { count } = await sql`
        UPDATE refresh_tokens SET revoked_at = ${ms(now)}
        WHERE family_id = ${familyId} AND revoked_at IS NULL`;
      return count;
    },

    async deleteExpired(now) {
      const { count } = await sql`DELETE FROM refresh_tokens WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
