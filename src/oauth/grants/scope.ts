import { InvalidScope } from '../errors.js';

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Scopes that only mean something with a signed-in user (OpenID Connect Core §5.4, §11). A
 * client acting for itself never receives them.
 */
export const USER_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** Parses a `scope` parameter into distinct scope names, or undefined when it was not sent. */
export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(' ').filter((name) => name !== '');
  if (names.length === 0) return undefined;
  for (const name of names) {
    if (!SCOPE_TOKEN.test(name)) throw new InvalidScope('scope contains invalid characters');
  }
  return [...new Set(names)];
}

/** Checks that `requested` stays within `allowed`; the grant may narrow a scope, never widen it. */
export function checkScopeWithin(requested: string[], allowed: string[], what: string): void {
  const extra = requested.filter((name) => !allowed.includes(name));
  if (extra.length > 0) {
    throw new InvalidScope(`scope exceeds ${what}`, `not allowed: ${extra.join(' ')}`);
  }
}
