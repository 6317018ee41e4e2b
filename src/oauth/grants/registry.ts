/**
 * The grant types the token endpoint serves, by their `grant_type` value. Discovery's
 * `grant_types_supported` lists exactly these.
 */
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import type { Grant } from './grant.js';
import { passwordGrant } from './password.js';
import { refreshTokenGrant } from './refresh-token.js';

const GRANTS = new Map<string, Grant>(
  [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant, passwordGrant].map(
    (grant) => [grant.grantType, grant],
  ),
);

/** The grant module for `grantType`, or undefined when Authly does not support it. */
export function findGrant(grantType: string): Grant | undefined {
  return GRANTS.get(grantType);
}

/** Every supported grant type, for discovery. */
export const GRANT_TYPES_SUPPORTED: readonly string[] = [...GRANTS.keys()];
