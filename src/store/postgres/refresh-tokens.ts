import { toStoreConflict } from '../errors.js';
import type { RefreshTokenRepository, RotateResult } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg, type Row } from './rows.js';

/** Refresh tokens on PostgreSQL. */
export function postgresRefreshTokens(sql: Sql): RefreshTokenRepository {
  /**
   * RFC 9700 §4.14.2: a spent or revoked token presented again means it leaked, so its whole
   * family goes. This runs as a statement of its own, after the failed spend: a statement sees
   * the rows committed before it began, and the token that a concurrent winner inserted in the
   * same family committed only while the spend was waiting for its row lock.
   */
  async function revokeFamilyOf(tokenHash: string, now: Date): Promise<RotateResult> {
    const family = await sql`
      UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, ${ms(now)})
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ${tokenHash})
      RETURNING *`;
    const previous = family.find((row) => row.token_hash === tokenHash);
    if (!previous) return { status: 'not_found' };
    return { status: 'reused', previous: pg.toRefreshToken(previous) };
  }

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

    async rotate(tokenHash, next, now) {
      // One statement, one round trip: spend the token and insert its successor only if the
      // spend succeeded. Of concurrent rotations, the first locks the row; the others wait,
      // re-check used_at once it commits, and spend nothing. The family and its absolute end
      // come from the spent token, so that a rotation can neither move a token to another
      // family nor outlive the family. A token whose parent was revoked is not spent either: a
      // family revocation that ran alongside the rotation which created it could not see it.
      let rows: Row[];
      try {
        rows = await sql`
          WITH spent AS (
            UPDATE refresh_tokens AS t SET used_at = ${ms(now)}
            WHERE t.token_hash = ${tokenHash} AND t.used_at IS NULL AND t.revoked_at IS NULL
              AND NOT EXISTS (
                SELECT 1 FROM refresh_tokens AS parent
                WHERE parent.token_hash = t.parent_hash AND parent.revoked_at IS NOT NULL)
            RETURNING t.*
          ), stored AS (
            INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id,
              scope, auth_time, issued_at, expires_at, family_expires_at)
            SELECT ${next.tokenHash}, spent.family_id, spent.token_hash, ${next.clientId},
              ${next.userId}, ${next.scope}::text[], ${ms(next.authTime)}::bigint,
              ${ms(next.issuedAt)}::bigint,
              LEAST(${ms(next.expiresAt)}::bigint, spent.family_expires_at),
              spent.family_expires_at
            FROM spent
            RETURNING *
          )
          SELECT to_jsonb(spent) AS previous, to_jsonb(stored) AS next FROM spent, stored`;
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }

      const [rotated] = rows;
      if (!rotated) return revokeFamilyOf(tokenHash, now);
      return {
        status: 'rotated',
        previous: pg.toRefreshToken(rotated.previous as Row),
        next: pg.toRefreshToken(rotated.next as Row),
      };
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
