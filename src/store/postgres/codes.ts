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

    async recordIssued(codeHash, { jti, jtiExpiresAt, familyId }) {
      await sql`
        UPDATE authorization_codes
        SET issued_jti = ${jti}, issued_jti_expires_at = ${ms(jtiExpiresAt)},
          issued_family_id = ${familyId}
        WHERE code_hash = ${codeHash}`;
    },

    async deleteExpired(now) {
      const { count } = await sql`
        DELETE FROM authorization_codes WHERE expires_at <= ${ms(now)}`;
      return count;
    },
  };
}
