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

    async redeem(codeHash, claim, { jti, jtiExpiresAt, refreshToken: seed }) {
      // One statement, one round trip, one commit. `checked` reads the code and judges the claim
      // and the refresh rule (scopeEarnsRefreshToken); the UPDATE spends it only if unspent,
      // deciding the race as in consume(); the refresh token is inserted only from the row it
      // spent (a data-modifying CTE runs exactly once). The judged columns never change.
      const now = ms(claim.now);
      try {
        const [row] = await sql`
          WITH checked AS (
            SELECT code_hash, holds,
              holds AND ${seed !== null}::boolean
                AND ('offline_access' = ANY(scope) OR NOT ('openid' = ANY(scope))) AS earns
            FROM (
              SELECT code_hash, scope,
                client_id = ${claim.clientId} AND expires_at > ${now}::bigint
                  AND (${claim.redirectUri}::text IS NULL OR redirect_uri = ${claim.redirectUri})
                  AND code_challenge = ${claim.codeChallenge} AS holds
              FROM authorization_codes WHERE code_hash = ${codeHash}
            ) judged
          ), spent AS (
            UPDATE authorization_codes c
            SET consumed_at = ${now}::bigint,
              issued_jti = CASE WHEN k.holds THEN ${jti}::text END,
              issued_jti_expires_at = CASE WHEN k.holds THEN ${ms(jtiExpiresAt)}::bigint END,
              issued_family_id = CASE WHEN k.earns THEN ${seed?.familyId ?? null}::text END
            FROM checked k
            WHERE c.code_hash = k.code_hash AND c.consumed_at IS NULL
            RETURNING c.*, k.holds
          ), stored AS (
            INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id,
              scope, auth_time, issued_at, expires_at, family_expires_at)
            SELECT ${seed?.tokenHash ?? null}::text, issued_family_id, NULL, client_id, user_id,
              scope, auth_time, ${ms(seed?.issuedAt ?? null)}::bigint,
              ${ms(seed?.expiresAt ?? null)}::bigint, ${ms(seed?.familyExpiresAt ?? null)}::bigint
            FROM spent WHERE issued_family_id IS NOT NULL
            RETURNING 1
          )
          SELECT * FROM spent`;
        if (row) return { status: row.holds ? 'redeemed' : 'refused', code: pg.toCode(row) };
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }

      // Only a failed redemption pays a second round trip, to tell a replay from a made-up code.
      const [existing] = await sql`
        SELECT * FROM authorization_codes WHERE code_hash = ${codeHash}`;
      return existing ? { status: 'replayed', code: pg.toCode(existing) } : { status: 'not_found' };
    },

    async deleteExpired(now) {
      const { count } = await sql`
        DELETE FROM authorization_codes WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
