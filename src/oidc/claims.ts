import type { User } from '../store/types.js';

/** The user fields that claims are drawn from (a full `User` fits). */
export type ClaimsSource = Pick<User, 'id' | 'username' | 'name' | 'email'>;

/**
 * The standard claims a user releases for the granted scopes (OpenID Connect Core §5.4):
 * `sub` always; `name` and `preferred_username` for `profile`; `email` and `email_verified` for
 * `email`. Authly never verifies addresses, so `email_verified` is false (§5.1: true only when the
 * provider took steps to verify it). Claims without a value are left out rather than sent as null.
 */
export function claimsForScope(user: ClaimsSource, scope: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };

  if (scope.includes('profile')) {
    if (user.name !== null) claims.name = user.name;
    claims.preferred_username = user.username;
  }

  if (scope.includes('email') && user.email !== null) {
    claims.email = user.email;
    claims.email_verified = false;
  }

  return claims;
}
