/**
 * The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2,
 * OAuth 2.1 §4.3.1): every use spends the token and issues its successor in one atomic store
 * call that also checks the token (one round trip on PostgreSQL); presenting a spent token
 * revokes its whole family.
 */
import type { AppContext } from '../../context.js';
import { sha256 } from '../../crypto/hash.js';
import type { RefreshToken } from '../../store/types.js';
import { isRefreshTokenActive, successorToken } from '../../tokens/refresh-token.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Grant, GrantRequest } from './grant.js';
import { checkScopeWithin, parseScope } from './scope.js';
import { accessTokenFor, idTokenFor, tokenResponse, type UserGrant } from './user-tokens.js';

/** Revokes the family of a token that turned up where it should not; logs why. */
async function revokeFamily(ctx: AppContext, token: RefreshToken, why: string): Promise<void> {
  await ctx.store.refreshTokens.revokeFamily(token.familyId, ctx.clock());
  ctx.logger.warn(
    { event: 'refresh_token.reused', clientId: token.clientId, familyId: token.familyId },
    `refresh token family revoked: ${why}`,
  );
}

/**
 * Why a token could not be rotated, found after the fact: the rotation itself checks everything
 * in one statement, and only a refused token pays for this second look. A token from another
 * client, or one already spent (also by a concurrent request a moment ago), has leaked: its family
 * is revoked (RFC 9700 §4.14.2; RFC 6749 §10.4 binds refresh tokens to their client).
 * Always throws.
 */
async function refuse(
  grant: GrantRequest,
  tokenHash: string,
  requested: string[] | undefined,
): Promise<never> {
  const { ctx, client } = grant;
  const token = await ctx.store.refreshTokens.find(tokenHash);
  if (!token) throw new InvalidGrant('unknown refresh token');

  if (token.clientId !== client.clientId) {
    await revokeFamily(ctx, token, 'presented by another client');
    throw new InvalidGrant('refresh token issued to another client');
  }
  if (token.usedAt !== null && token.revokedAt === null) {
    await revokeFamily(ctx, token, 'spent token presented again');
    throw new InvalidGrant('refresh token already used');
  }
  if (!isRefreshTokenActive(token, ctx.clock())) {
    throw new InvalidGrant('refresh token revoked or expired');
  }
  if (token.userId === null) throw new InvalidGrant('refresh token without a user');
  // RFC 6749 §6: the scope may narrow for this access token but never exceed the original grant.
  if (requested) checkScopeWithin(requested, token.scope, 'the scope originally granted');
  throw new InvalidGrant('refresh token family revoked');
}

async function handle(grant: GrantRequest) {
  const { ctx, client, params } = grant;
  if (!params.refresh_token) throw new InvalidRequest('refresh_token is required');

  const tokenHash = sha256(params.refresh_token);
  const requested = parseScope(params.scope);
  const successor = successorToken(ctx);
  const request = {
    clientId: client.clientId,
    scope: requested ?? null,
    nextHash: successor.tokenHash,
    nextExpiresAt: successor.expiresAt,
  };
  const rotation = await ctx.store.refreshTokens.rotate(tokenHash, request, ctx.clock());
  if (!rotation) return refuse(grant, tokenHash, requested);

  const { previous, next } = rotation;
  const user: UserGrant = {
    client,
    userId: previous.userId!,
    scope: requested ?? previous.scope,
    authTime: previous.authTime,
  };
  const access = accessTokenFor(ctx, user);
  // OIDC Core §12.2: the response "might not contain an id_token"; when configured, a fresh
  // one, without nonce and with the original auth_time.
  const idToken = ctx.config.refreshIdToken
    ? await idTokenFor(ctx, user, access.token)
    : undefined;
  return tokenResponse(access, successor.token, idToken);
}

/** grant_type=refresh_token */
export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'scope'],
  handle,
};
