/**
 * What the grants made for a user (authorization_code, refresh_token, password) share: when a
 * refresh token is due, the ID token, and the shape of the response.
 */
import type { AppContext } from '../../context.js';
import { issueIdToken } from '../../oidc/id-token.js';
import { scopeEarnsRefreshToken, type Client } from '../../store/types.js';
import {
  issueAccessToken,
  type IssuedAccessToken,
  type ReservedAccessToken,
} from '../../tokens/access-token.js';
import { newRefreshToken, type IssuedRefreshToken } from '../../tokens/refresh-token.js';
import type { TokenResponse } from './grant.js';

/** A grant made by a user to a client. */
export interface UserGrant {
  client: Client;
  userId: string;
  scope: string[];
  authTime: Date | null;
  nonce?: string | null;
}

/**
 * Whether a grant earns a refresh token. The client must be registered for the refresh_token
 * grant; for OpenID Connect requests the user must also have granted `offline_access` (Core
 * §11), while plain OAuth requests (no `openid`) get one without it.
 */
export function wantsRefreshToken(client: Client, scope: string[]): boolean {
  return client.grantTypes.includes('refresh_token') && scopeEarnsRefreshToken(scope);
}

/**
 * The access token for a user grant (RFC 9068, `sub` is the user), with the jti and times given
 * when they were stored before.
 */
export function accessTokenFor(
  ctx: AppContext,
  grant: UserGrant,
  reserved?: ReservedAccessToken,
): IssuedAccessToken {
  return issueAccessToken(ctx, {
    subject: grant.userId,
    clientId: grant.client.clientId,
    scope: grant.scope,
    authTime: grant.authTime,
    reserved,
  });
}

/** The first refresh token of a new family when the grant earns one, else null. */
export function refreshTokenFor(ctx: AppContext, grant: UserGrant): IssuedRefreshToken | null {
  if (!wantsRefreshToken(grant.client, grant.scope)) return null;
  return newRefreshToken(ctx, {
    clientId: grant.client.clientId,
    userId: grant.userId,
    scope: grant.scope,
    authTime: grant.authTime,
  });
}

/** The ID token for a grant whose scope has `openid`, else undefined. */
export async function idTokenFor(
  ctx: AppContext,
  grant: UserGrant,
  accessToken: string,
): Promise<string | undefined> {
  if (!grant.scope.includes('openid')) return undefined;
  return issueIdToken(ctx, {
    subject: grant.userId,
    clientId: grant.client.clientId,
    authTime: grant.authTime,
    nonce: grant.nonce,
    accessToken,
  });
}

/**
 * Issues the tokens of a new user grant: the access token, a refresh token when due (stored
 * here), and the ID token when `openid` was granted. The ID token is signed on the thread pool
 * while the store writes, so that the signature (the costliest step) overlaps the database.
 */
export async function issueUserTokens(ctx: AppContext, grant: UserGrant): Promise<TokenResponse> {
  const access = accessTokenFor(ctx, grant);
  const refresh = refreshTokenFor(ctx, grant);
  const [idToken] = await Promise.all([
    idTokenFor(ctx, grant, access.token),
    refresh ? ctx.store.refreshTokens.create(refresh.record) : undefined,
  ]);
  return tokenResponse(access, refresh?.token, idToken);
}

/** The RFC 6749 §5.1 body for what was issued. */
export function tokenResponse(
  access: IssuedAccessToken,
  refreshToken: string | undefined,
  idToken: string | undefined,
): TokenResponse {
  const body: TokenResponse = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: access.claims.scope,
  };
  if (refreshToken) body.refresh_token = refreshToken;
  if (idToken) body.id_token = idToken;
  return body;
}
