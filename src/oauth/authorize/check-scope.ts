import type { Client } from '../../store/types.js';
import { InvalidScope } from '../errors.js';

/** RFC 6749 §3.3 scope-token characters. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Without a `scope`, the request gets the client's allowed scopes except `openid` and
 * `offline_access` (RFC 6749 §3.3 lets the server pick a default): a request without `openid` is
 * plain OAuth (OIDC Core §3.1.2.1), and long-lived access is never implied.
 */
function defaultScope(client: Client): string[] {
  return client.scopes.filter((s) => s !== 'openid' && s !== 'offline_access');
}

/**
 * Every requested scope must be one the client may ask for; otherwise `invalid_scope`.
 * `offline_access` is dropped, not refused, for a client without the refresh_token grant (OIDC
 * Core §11: the request is then ignored). The user's consent is asked for it like any other
 * scope, which satisfies §11's requirement to always obtain consent for offline access.
 */
export function checkScope(client: Client, params: Record<string, string>): string[] {
  const requested = params.scope === undefined ? defaultScope(client) : params.scope.split(' ');
  const scope = [...new Set(requested.filter((s) => s !== ''))];

  for (const name of scope) {
    if (!SCOPE_TOKEN.test(name) || !client.scopes.includes(name)) {
      throw new InvalidScope(`scope ${name} is not allowed for this client`);
    }
  }

  const granted = client.grantTypes.includes('refresh_token')
    ? scope
    : scope.filter((s) => s !== 'offline_access');
  if (granted.length === 0) throw new InvalidScope('no scope was requested or allowed');
  return granted;
}
