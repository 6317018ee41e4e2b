/**
 * The client_credentials grant (RFC 6749 §4.4): a confidential client acting for itself. The
 * access token's `sub` is the client id (RFC 9068 §2.2); no refresh token (§4.4.3) and no ID
 * token, since no user is involved.
 */
import { issueAccessToken } from '../../tokens/access-token.js';
import { UnauthorizedClient } from '../errors.js';
import type { Grant, GrantRequest, TokenResponse } from './grant.js';
import { checkScopeWithin, parseScope, USER_SCOPES } from './scope.js';

async function handle({ ctx, client, params }: GrantRequest): Promise<TokenResponse> {
  // RFC 6749 §4.4: only confidential clients may use this grant.
  if (client.isPublic || client.authMethod === 'none') {
    throw new UnauthorizedClient('client_credentials is only for confidential clients');
  }

  // RFC 6749 §3.3: without a scope parameter the client gets its registered scopes, less those
  // that only make sense with a user; with one, each scope must be registered for the client.
  const ownScopes = client.scopes.filter((name) => !USER_SCOPES.includes(name));
  const requested = parseScope(params.scope);
  if (requested) checkScopeWithin(requested, ownScopes, "the client's scopes");
  const scope = requested ?? ownScopes;

  const access = issueAccessToken(ctx, {
    subject: client.clientId,
    clientId: client.clientId,
    scope,
  });
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: access.claims.scope,
  };
}

/** grant_type=client_credentials */
export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  parameters: ['scope'],
  handle,
};
