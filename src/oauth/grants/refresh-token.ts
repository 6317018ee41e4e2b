/**
 * The refresh_token grant (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2,
 * OAuth 2.1 §4.3.1): every use spends the token and issues its successor in one atomic store
 * call; presenting a spent token revokes its whole family.
 */
import type { AppContext } from '../../context.js';
import { sha256 } from '../../crypto/hash.js';
import type { RefreshToken } from '../../store/types.js';
import { isRefreshTokenActive, nextRefreshToken } from '../../tokens/refresh-token.js';
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
 * The checks before rotation. A token from another client, or one already spent, has leaked:
 * its family is revoked (RFC 9700 §4.14.2; RFC 6749 §10.4 binds refresh tokens to their client).
 */
async function checkToken(grant: GrantRequest, token: RefreshToken | null): Promise<RefreshToken> {
  const { ctx, client } = grant;
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
  return token;
}

async function handle(grant: GrantRequest) {
  const { ctx, client, params } = grant;
  if (!params.refresh_token) throw new InvalidRequest('refresh_token is required');

  const tokenHash = sha256(params.refresh_token);
  const token = await checkToken(grant, await ctx.store.refreshTokens.find(tokenHash));

  // RFC 6749 §6: the scope may narrow for this access token but never exceed the original grant.
  const requested = parseScope(params.scope);
  if (requested) checkScopeWithin(requested, token.scope, 'the scope originally granted');

  const next = nextRefreshToken(ctx, token);
  const rotated = ctx.store.refreshTokens.rotate(tokenHash, next.record, ctx.clock());
  const user: UserGrant = {
    client,
    userId: token.userId!,
    scope: requested ?? token.scope,
    authTime: token.authTime,
  };
  const access = accessTokenFor(ctx, user);
  // OIDC Core §12.2: a fresh ID token, without nonce; signed while the rotation is in flight.
  const [result, idToken] = await Promise.all([rotated, idTokenFor(ctx, user, access.token)]);

  if (result.status === 'reused') {
    // Another request spent the same token first: the store has revoked the family.
    ctx.logger.warn(
      { event: 'refresh_token.reused', clientId: client.clientId, familyId: token.familyId },
      'refresh token family revoked: spent concurrently',
    );
    throw new InvalidGrant('refresh token already used');
  }
  if (result.status === 'not_found') throw new InvalidGrant('refresh token no longer stored');
  return tokenResponse(access, next, idToken);
}

/** grant_type=refresh_token */
export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'scope'],
  handle,
};
