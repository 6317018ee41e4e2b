import { toStoreConflict } from '../errors.js';
import type { AuthorizationCodeRepository, ConsumeCodeResult } from '../types.js';
import type { Sql } from './database.js';
import { ms, pg } from './rows.js';

/** Authorization codes on PostgreSQL. */
export function postgresCodes(sql: Sql): AuthorizationCodeRepository {
  return {
    async create(code) {
      try {
        await sql`
          INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope,
            code_challenge, code_challenge_method, nonce, auth_time, max_age_requested,
            session_id, expires_at)
          VALUES (${code.codeHash}, ${code.clientId}, ${code.userId}, ${code.redirectUri},
            ${code.scope}, ${code.codeChallenge}, ${code.codeChallengeMethod}, ${code.nonce},
            ${ms(code.authTime)}, ${code.maxAgeRequested}, ${code.sessionId},
            ${ms(code.expiresAt)})`;
      } catch (error) {
        throw toStoreConflict(error, 'authorization code');
      }
    },

    async consume(codeHash, now): Promise<ConsumeCodeResult> {
      // One statement decides the race: a concurrent UPDATE of the same row waits for the first
      // to commit, then re-checks consumed_at and finds it set (READ COMMITTED re-evaluation).
      const [spent] = await sql`
        UPDATE authorization_codes SET consumed_at = ${ms(now)}
        WHERE code_hash = ${codeHash} AND consumed_at IS NULL
        RETURNING *`;
      if (spent) return { status: 'consumed', code: pg.toCode(spent) };

      // Only a failed redemption pays a second round trip, to tell a replay from a made-up code.
      const [existing] = await sql`
        SELECT * FROM authorization_codes WHERE code_hash = ${codeHash}`;
      return existing ? { status: 'replayed', code: pg.toCode(existing) } : { status: 'not_found' };
    },

    async find(codeHash) {
      const [row] = await sql`SELECT * FROM authorization_codes WHERE code_hash = ${codeHash}`;
      return row ? pg.toCode(row) : null;
    },

    async redeem(codeHash, { jti, jtiExpiresAt, refreshToken }, now) {
      // One statement, one commit: the UPDATE decides the race as in consume(), and the refresh
      // token is inserted only from the row it spent (a data-modifying CTE runs exactly once).
      const spend = sql`
        UPDATE authorization_codes
        SET consumed_at = ${ms(now)}, issued_jti = ${jti},
          issued_jti_expires_at = ${ms(jtiExpiresAt)},
          issued_family_id = ${refreshToken?.familyId ?? null}
        WHERE code_hash = ${codeHash} AND consumed_at IS NULL
        RETURNING code_hash`;
      try {
        if (!refreshToken) return (await spend).length === 1;
        const t = refreshToken;
        const [row] = await sql`
          WITH spent AS (${spend}), stored AS (
            INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id,
              scope, auth_time, issued_at, expires_at, family_expires_at)
            SELECT ${t.tokenHash}, ${t.familyId}, NULL, ${t.clientId}, ${t.userId},
              ${t.scope}::text[], ${ms(t.authTime)}::bigint, ${ms(t.issuedAt)}::bigint,
              ${ms(t.expiresAt)}::bigint, ${ms(t.familyExpiresAt)}::bigint
            FROM spent
            RETURNING 1
          )
          SELECT count(*)::int AS spent FROM spent`;
        return row.spent === 1;
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }
    },

    async deleteExpired(now) {
      const { count } = await sql`
        DELETE FROM authorization_codes WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
