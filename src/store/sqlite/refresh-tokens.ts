import { toStoreConflict } from '../errors.js';
import type { NewRefreshToken, RefreshTokenRepository, RotateResult } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { json, ms, toRefreshToken, type Row } from './rows.js';

/**
 * Stores a refresh token (synchronously, inside the caller's write), answering its row. Shared
 * with the authorization codes, whose redemption stores the first token of a family.
 */
export function refreshTokenInserter(db: Db): (token: NewRefreshToken) => Row {
  const insert = statement(
    db,
    `INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id, scope,
       auth_time, issued_at, expires_at, family_expires_at)
     VALUES (@tokenHash, @familyId, @parentHash, @clientId, @userId, @scope, @authTime,
       @issuedAt, @expiresAt, @familyExpiresAt)
     RETURNING *`,
  );
  return (token) =>
    insert().get({
      tokenHash: token.tokenHash,
      familyId: token.familyId,
      parentHash: token.parentHash,
      clientId: token.clientId,
      userId: token.userId,
      scope: json(token.scope),
      authTime: ms(token.authTime),
      issuedAt: ms(token.issuedAt),
      expiresAt: ms(token.expiresAt),
      familyExpiresAt: ms(token.familyExpiresAt),
    }) as Row;
}

/**
 * Refresh tokens on SQLite. A rotation runs inside the writer's IMMEDIATE transaction, so that
 * it holds the write lock from its first statement and no other process can spend the same token
 * meanwhile.
 */
export function sqliteRefreshTokens(db: Db, writer: Writer): RefreshTokenRepository {
  const store = refreshTokenInserter(db);
  const byHash = statement(db, 'SELECT * FROM refresh_tokens WHERE token_hash = ?');
  const spend = statement(
    db,
    `UPDATE refresh_tokens SET used_at = ?
     WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL RETURNING *`,
  );
  const revokeAll = statement(
    db,
    'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
  );
  const expired = statement(db, 'DELETE FROM refresh_tokens WHERE expires_at <= ?');

  type Rotate = (tokenHash: string, next: NewRefreshToken, now: Date) => RotateResult;
  const rotate = db.transaction<Rotate>((tokenHash, next, now) => {
    const spent = spend().get(ms(now), tokenHash) as Row | undefined;
    if (spent) {
      const previous = toRefreshToken(spent);
      // The family and its absolute end come from the spent token, so that a rotation can
      // neither move a token to another family nor outlive the family.
      const stored = store({
        ...next,
        familyId: previous.familyId,
        parentHash: previous.tokenHash,
        familyExpiresAt: previous.familyExpiresAt,
        expiresAt: earliest(next.expiresAt, previous.familyExpiresAt),
      });
      return { status: 'rotated', previous, next: toRefreshToken(stored) };
    }

    const existing = byHash().get(tokenHash) as Row | undefined;
    if (!existing) return { status: 'not_found' };

    // RFC 9700 §4.14.2: a spent or revoked token presented again means it leaked.
    revokeAll().run(ms(now), existing.family_id);
    const previous = toRefreshToken(byHash().get(tokenHash) as Row);
    return { status: 'reused', previous };
  });

  return {
    async create(token) {
      try {
        await writer.write(() => store(token));
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }
    },

    async find(tokenHash) {
      const row = byHash().get(tokenHash) as Row | undefined;
      return row ? toRefreshToken(row) : null;
    },

    async rotate(tokenHash, next, now) {
      try {
        return await writer.write(() => rotate(tokenHash, next, now));
      } catch (error) {
        throw toStoreConflict(error, 'refresh token');
      }
    },

    async revokeFamily(familyId, now) {
      return (await writer.write(() => revokeAll().run(ms(now), familyId))).changes;
    },

    async deleteExpired(now) {
      return (await writer.write(() => expired().run(ms(now)))).changes;
    },
  };
}

function earliest(a: Date, b: Date): Date {
  return a < b ? a : b;
}
