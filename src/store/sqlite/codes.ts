import { toStoreConflict } from '../errors.js';
import {
  scopeEarnsRefreshToken,
  type AuthorizationCode,
  type AuthorizationCodeRepository,
  type ConsumeCodeResult,
  type RedeemCodeResult,
} from '../types.js';
import { statement, type Db } from './database.js';
import { refreshTokenInserter } from './refresh-tokens.js';
import { json, ms, toCode, type Row } from './rows.js';
import type { Writer } from './writer.js';

/** Authorization codes on SQLite. */
export function sqliteCodes(db: Db, writer: Writer): AuthorizationCodeRepository {
  const insert = statement(
    db,
    `INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope,
       code_challenge, code_challenge_method, nonce, auth_time, max_age_requested, session_id,
       expires_at)
     VALUES (@codeHash, @clientId, @userId, @redirectUri, @scope, @codeChallenge,
       @codeChallengeMethod, @nonce, @authTime, @maxAgeRequested, @sessionId, @expiresAt)`,
  );
  // One statement decides the race: SQLite serialises writers, and only the first finds
  // consumed_at still NULL.
  const consume = statement(
    db,
    `UPDATE authorization_codes SET consumed_at = ?
     WHERE code_hash = ? AND consumed_at IS NULL RETURNING *`,
  );
  const byHash = statement(db, 'SELECT * FROM authorization_codes WHERE code_hash = ?');
  const redeem = statement(
    db,
    `UPDATE authorization_codes
     SET consumed_at = ?, issued_jti = ?, issued_jti_expires_at = ?, issued_family_id = ?
     WHERE code_hash = ? AND consumed_at IS NULL`,
  );
  const insertRefreshToken = refreshTokenInserter(db);
  const expired = statement(db, 'DELETE FROM authorization_codes WHERE expires_at <= ?');

  return {
    async create(code) {
      try {
        const params = {
          codeHash: code.codeHash,
          clientId: code.clientId,
          userId: code.userId,
          redirectUri: code.redirectUri,
          scope: json(code.scope),
          codeChallenge: code.codeChallenge,
          codeChallengeMethod: code.codeChallengeMethod,
          nonce: code.nonce,
          authTime: ms(code.authTime),
          maxAgeRequested: code.maxAgeRequested ? 1 : 0,
          sessionId: code.sessionId,
          expiresAt: ms(code.expiresAt),
        };
        await writer.write(() => insert().run(params));
      } catch (error) {
        throw toStoreConflict(error, 'authorization code');
      }
    },

    async consume(codeHash, now): Promise<ConsumeCodeResult> {
      const spent = (await writer.write(() => consume().get(ms(now), codeHash))) as
        | Row
        | undefined;
      if (spent) return { status: 'consumed', code: toCode(spent) };

      const existing = byHash().get(codeHash) as Row | undefined;
      return existing ? { status: 'replayed', code: toCode(existing) } : { status: 'not_found' };
    },

    async find(codeHash) {
      const row = byHash().get(codeHash) as Row | undefined;
      return row ? toCode(row) : null;
    },

    async redeem(codeHash, claim, { jti, jtiExpiresAt, refreshToken: seed }) {
      try {
        // Read, judged and spent within one write: SQLite serialises writers, so nothing comes
        // between. The code and the refresh token commit together, or neither does.
        return await writer.write((): RedeemCodeResult => {
          const row = byHash().get(codeHash) as Row | undefined;
          if (!row) return { status: 'not_found' };
          const code = toCode(row);
          if (code.consumedAt !== null) return { status: 'replayed', code };

          const holds =
            code.clientId === claim.clientId &&
            code.expiresAt > claim.now &&
            (claim.redirectUri === null || claim.redirectUri === code.redirectUri) &&
            code.codeChallenge === claim.codeChallenge;
          const earns = holds && seed !== null && scopeEarnsRefreshToken(code.scope);
          const familyId = earns ? seed.familyId : null;
          const spent: AuthorizationCode = {
            ...code,
            consumedAt: claim.now,
            issuedJti: holds ? jti : null,
            issuedJtiExpiresAt: holds ? jtiExpiresAt : null,
            issuedFamilyId: familyId,
          };
          redeem().run(
            ms(spent.consumedAt),
            spent.issuedJti,
            ms(spent.issuedJtiExpiresAt),
            familyId,
            codeHash,
          );
          if (seed && familyId !== null) {
            const { clientId, userId, scope, authTime } = code;
            insertRefreshToken({ ...seed, parentHash: null, clientId, userId, scope, authTime });
          }
          return { status: holds ? 'redeemed' : 'refused', code: spent };
        });
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }
    },

    async deleteExpired(now) {
      return (await writer.write(() => expired().run(ms(now)))).changes;
    },
  };
}
