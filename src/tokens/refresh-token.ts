/**
 * Refresh tokens: opaque, 256 bits of randomness, stored only as their SHA-256. Each belongs to a
 * family (everything rotated from one grant) with an absolute end that rotation never extends.
 */
import type { AppContext } from '../context.js';
import { sha256 } from '../crypto/hash.js';
import { randomId, randomToken } from '../crypto/random.js';
import type { NewRefreshToken, RefreshToken } from '../store/types.js';

/** A refresh token as given to the client, and the row that stands for it. */
export interface IssuedRefreshToken {
  token: string;
  record: NewRefreshToken;
}

export interface RefreshTokenGrant {
  clientId: string;
  userId: string;
  scope: string[];
  authTime: Date | null;
}

function expiry(ctx: AppContext, now: Date, familyExpiresAt: Date): Date {
  const own = new Date(now.getTime() + ctx.config.refreshTokenTtl * 1000);
  return own < familyExpiresAt ? own : familyExpiresAt;
}

/** The first token of a new family, for a grant just made (code exchange, password). */
export function newRefreshToken(ctx: AppContext, grant: RefreshTokenGrant): IssuedRefreshToken {
  const now = ctx.clock();
  const token = randomToken();
  const familyExpiresAt = new Date(now.getTime() + ctx.config.refreshFamilyTtl * 1000);
  return {
    token,
    record: {
      tokenHash: sha256(token),
      familyId: randomId(),
      parentHash: null,
      ...grant,
      issuedAt: now,
      expiresAt: expiry(ctx, now, familyExpiresAt),
      familyExpiresAt,
    },
  };
}

/**
 * The token that replaces `previous` on rotation. RFC 6749 §6: its scope is that of the token it
 * replaces, even when the request narrowed the access token's scope; its expiry is the sooner of
 * its own lifetime and the family's end.
 */
export function nextRefreshToken(ctx: AppContext, previous: RefreshToken): IssuedRefreshToken {
  const now = ctx.clock();
  const token = randomToken();
  return {
    token,
    record: {
      tokenHash: sha256(token),
      familyId: previous.familyId,
      parentHash: previous.tokenHash,
      clientId: previous.clientId,
      userId: previous.userId,
      scope: previous.scope,
      authTime: previous.authTime,
      issuedAt: now,
      expiresAt: expiry(ctx, now, previous.familyExpiresAt),
      familyExpiresAt: previous.familyExpiresAt,
    },
  };
}

/** Whether a stored token may still be exchanged (not spent, revoked or expired). */
export function isRefreshTokenActive(token: RefreshToken, now: Date): boolean {
  return (
    token.usedAt === null &&
    token.revokedAt === null &&
    token.expiresAt > now &&
    token.familyExpiresAt > now
  );
}
