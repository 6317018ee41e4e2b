import { toStoreConflict } from '../errors.js';
import type {
  NewRefreshToken,
  RefreshToken,
  RefreshTokenRepository,
  Rotation,
  RotationRequest,
} from '../types.js';
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
  const spend = statement(db, 'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?');
  const revokeAll = statement(
    db,
    'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
  );
  const expired = statement(db, 'DELETE FROM refresh_tokens WHERE expires_at <= ?');

  const parentRevoked = statement(
    db,
    'SELECT 1 FROM refresh_tokens WHERE token_hash = ? AND revoked_at IS NOT NULL',
  );

  /** Whether the token may be spent for `request` (see RefreshTokenRepository.rotate). */
  function spendable(token: RefreshToken, request: RotationRequest, now: Date): boolean {
    const { scope } = request;
    return (
      token.usedAt === null &&
      token.revokedAt === null &&
      token.expiresAt > now &&
      token.familyExpiresAt > now &&
      token.clientId === request.clientId &&
      token.userId !== null &&
      (scope === null || scope.every((name) => token.scope.includes(name))) &&
      (token.parentHash === null || parentRevoked().get(token.parentHash) === undefined)
    );
  }

  // Runs inside the writer's transaction: nothing else can spend the token in between.
  function rotate(tokenHash: string, request: RotationRequest, now: Date): Rotation | null {
    const row = byHash().get(tokenHash) as Row | undefined;
    if (!row) return null;
    const previous = toRefreshToken(row);
    if (!spendable(previous, request, now)) return null;

    spend().run(ms(now), tokenHash);
    const next = store({
      tokenHash: request.nextHash,
      familyId: previous.familyId,
      parentHash: previous.tokenHash,
      clientId: previous.clientId,
      userId: previous.userId,
      scope: previous.scope,
      authTime: previous.authTime,
      issuedAt: now,
      // The family's end caps every token in it.
      expiresAt: earliest(request.nextExpiresAt, previous.familyExpiresAt),
      familyExpiresAt: previous.familyExpiresAt,
    });
    return { previous: { ...previous, usedAt: now }, next: toRefreshToken(next) };
  }

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

    async rotate(tokenHash, request, now) {
      try {
        return await writer.write(() => rotate(tokenHash, request, now));
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
