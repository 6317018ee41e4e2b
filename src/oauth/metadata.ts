import type { Config } from '../config/config.js';

/**
 * Authorization server metadata (RFC 8414 §2) and OpenID Provider metadata (OIDC Discovery §3),
 * one object for both documents. Only what works is advertised.
 */
export function buildMetadata(config: Config): Record<string, unknown> {
  const base = config.issuer;
  return {
    issuer: base,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}
