import type { Config } from '../config/config.js';
import { GRANT_TYPES_SUPPORTED } from './grants/registry.js';

/** Client authentication methods of the token, revocation and introspection endpoints. */
const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'];
const AUTH_METHODS = [...SECRET_METHODS, 'none'];

/** Every claim that claims by scope (src/oidc/claims.ts) can release, plus the ID token's own. */
const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'name',
  'preferred_username',
  'email',
  'email_verified',
];

/**
 * Authorization server metadata (RFC 8414 §2) and OpenID Provider metadata (OIDC Discovery §3),
 * one object for both documents. Only what works is advertised: every value here is served by a
 * route in src/oauth/endpoints/ and refused when a client asks for anything else.
 */
export function buildMetadata(config: Config): Record<string, unknown> {
  const base = config.issuer;
  return {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/revoke`,
    introspection_endpoint: `${base}/introspect`,
    end_session_endpoint: `${base}/end_session`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    // OAuth 2.1 §4.1.1: S256 only; plain is refused.
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    // RFC 7662 §2.1: the caller must be authorized, so public clients cannot introspect.
    introspection_endpoint_auth_methods_supported: SECRET_METHODS,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: CLAIMS_SUPPORTED,
    prompt_values_supported: ['none', 'login', 'consent'],
    // RFC 9207: `iss` on every authorization response.
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}
