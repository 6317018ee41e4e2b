/**
 * The resource owner password credentials grant (RFC 6749 §4.3). OAuth 2.1 drops it and RFC 9700
 * §2.4 forbids it for new systems; Authly keeps it only for clients registered with it, and checks
 * the password through the same lockout and throttling as the sign-in page.
 */
import { checkSignIn } from '../../security/sign-in.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Grant, GrantRequest, TokenResponse } from './grant.js';
import { checkScopeWithin, parseScope } from './scope.js';
import { issueUserTokens, type UserGrant } from './user-tokens.js';

async function handle({ ctx, client, params, request }: GrantRequest): Promise<TokenResponse> {
  if (!params.username) throw new InvalidRequest('username is required');
  if (params.password === undefined) throw new InvalidRequest('password is required');

  // Scope first: it costs nothing, while the password check costs a deliberately slow hash.
  const requested = parseScope(params.scope);
  if (requested) checkScopeWithin(requested, client.scopes, "the client's scopes");

  const signIn = await checkSignIn(ctx, params.username, params.password, request.ip);
  if (!signIn.ok) {
    // Every failure reads the same (RFC 6749 §5.2 invalid_grant). A throttled address also gets
    // Retry-After; RFC 6749 has no error code for throttling, and 400 keeps clients that only
    // know §5.2 working.
    const error = new InvalidGrant(`sign-in refused: ${signIn.reason}`);
    if (signIn.reason === 'throttled') error.headers['retry-after'] = String(signIn.retryAfter);
    throw error;
  }

  const user: UserGrant = {
    client,
    userId: signIn.user.id,
    scope: requested ?? client.scopes,
    authTime: ctx.clock(),
  };
  return issueUserTokens(ctx, user);
}

/** grant_type=password */
export const passwordGrant: Grant = {
  grantType: 'password',
  parameters: ['username', 'password', 'scope'],
  handle,
};
