/**
 * Access tokens: JWTs per RFC 9068, signed ES256. The `jti` lets a token be revoked before it
 * expires (RFC 7009): revoked jtis are denied until the token's own expiry.
 */
import type { AppContext } from '../context.js';
import { signJwt } from '../crypto/jwt.js';
import { randomId } from '../crypto/random.js';
import { verifiedAccessToken } from './verified-tokens.js';

/** RFC 9068 §2.1 header type. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenClaims {
  iss: string;
  /** The user, or the client itself for client_credentials (RFC 9068 §2.2). */
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  auth_time?: number;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresIn: number;
  expiresAt: Date;
  claims: AccessTokenClaims;
}

export interface AccessTokenRequest {
  subject: string;
  clientId: string;
  scope: string[];
  /** Resource indicator; defaults to the issuer (userinfo is the resource Authly itself serves). */
  audience?: string | string[];
  authTime?: Date | null;
  /** The jti and issue time, when they had to be known (and stored) before the token is made. */
  reserved?: ReservedAccessToken;
}

/** An access token's jti and times, fixed before its claims are known. */
export interface ReservedAccessToken {
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** A jti and times for an access token issued now. */
export function reserveAccessToken(ctx: AppContext): ReservedAccessToken {
  const issuedAt = ctx.clock();
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const expiresAt = new Date((iat + ctx.config.accessTokenTtl) * 1000);
  return { jti: randomId(), issuedAt, expiresAt };
}

/** Signs a new access token. */
export function issueAccessToken(ctx: AppContext, request: AccessTokenRequest): IssuedAccessToken {
  const { jti, issuedAt, expiresAt } = request.reserved ?? reserveAccessToken(ctx);
  const iat = Math.floor(issuedAt.getTime() / 1000);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const claims: AccessTokenClaims = {
    iss: ctx.config.issuer,
    sub: request.subject,
    aud: request.audience ?? ctx.config.issuer,
    exp,
    iat,
    jti,
    client_id: request.clientId,
    scope: request.scope.join(' '),
  };
  if (request.authTime) claims.auth_time = Math.floor(request.authTime.getTime() / 1000);

  const { kid, key } = ctx.keys.signingKey('ES256');
  const token = signJwt({ alg: 'ES256', kid, typ: ACCESS_TOKEN_TYPE }, claims, key);
  return { token, jti, expiresIn: exp - iat, expiresAt, claims };
}

/**
 * Verifies an access token this server issued: signature, `typ`, issuer, expiry and the
 * revocation list. Answers the claims, or null for anything that is not an active token.
 */
export async function verifyAccessToken(
  ctx: AppContext,
  token: string,
): Promise<AccessTokenClaims | null> {
  const now = Math.floor(ctx.clock().getTime() / 1000);
  const decoded = verifiedAccessToken(ctx.keys, token, now);
  if (!decoded) return null;

  const claims = decoded.payload as Partial<AccessTokenClaims>;
  if (claims.iss !== ctx.config.issuer) return null;
  if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
  if (typeof claims.jti !== 'string' || typeof claims.sub !== 'string') return null;
  if (typeof claims.client_id !== 'string' || typeof claims.scope !== 'string') return null;
  if (await ctx.store.revokedTokens.isRevoked(claims.jti)) return null;
  return claims as AccessTokenClaims;
}
