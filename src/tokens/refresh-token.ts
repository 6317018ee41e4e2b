/**
 * Refresh tokens: opaque, 256 bits of randomness, stored only as their SHA-256. Each belongs to a
 * family (everything rotated from one grant) with an absolute end that rotation never extends.
 */
import type { AppContext } from '../context.js';
import { sha256 } from '../crypto/hash.js';
import { randomId, randomToken } from '../crypto/random.js';
import type { NewRefreshToken, RefreshToken, RefreshTokenSeed } from '../store/types.js';

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
  const { token, seed } = refreshTokenSeed(ctx);
  return { token, record: { ...seed, parentHash: null, ...grant } };
}

/**
 * The first token of a new family, less what the grant gives it (client, user, scope,
 * auth_time): for a store that takes those from the authorization code it spends.
 */
export function refreshTokenSeed(ctx: AppContext): { token: string; seed: RefreshTokenSeed } {
  const now = ctx.clock();
  const token = randomToken();
  const familyExpiresAt = new Date(now.getTime() + ctx.config.refreshFamilyTtl * 1000);
  return {
    token,
    seed: {
      tokenHash: sha256(token),
      familyId: randomId(),
      issuedAt: now,
      expiresAt: expiry(ctx, now, familyExpiresAt),
      familyExpiresAt,
    },
  };
}

/** A new token to replace a spent one: its value, hash and own expiry. */
export interface SuccessorToken {
  token: string;
  tokenHash: string;
  /** Its own lifetime from now; the store caps it by the family's end. */
  expiresAt: Date;
}

/**
 * The value for the token that replaces one on rotation. Everything else it carries (family,
 * client, user, scope, auth_time) comes from the token it replaces, in the store: RFC 6749 §6
 * keeps the refresh token's scope even when the request narrows the access token's.
 */
export function successorToken(ctx: AppContext): SuccessorToken {
  const now = ctx.clock();
  const token = randomToken();
  return {
    token,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + ctx.config.refreshTokenTtl * 1000),
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
