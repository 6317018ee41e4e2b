import type { Client } from '../../store/types.js';
import { InvalidRequest } from '../errors.js';

/**
 * RFC 8252 §7.3: a native app listens on an ephemeral port of the loopback interface, so for
 * `http://127.0.0.1` and `http://[::1]` any port matches, with the rest of the URI compared
 * exactly. `localhost` gets no such allowance (RFC 8252 §8.3: it may resolve elsewhere).
 */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?].*)?$/s;

/** TCP ports: anything else is no address, and a redirect to it could not even be built. */
const HIGHEST_PORT = 65535;

function withoutPort(uri: string): string | null {
  const match = LOOPBACK.exec(uri);
  if (!match) return null;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > HIGHEST_PORT)) return null;
  return `${match[1]}|${match[3] ?? ''}`;
}

function isRegistered(client: Client, uri: string): boolean {
  // RFC 9700 §4.1.3, OAuth 2.1 §2.3.1: exact string comparison, no pattern or prefix matching.
  if (client.redirectUris.includes(uri)) return true;

  const loopback = withoutPort(uri);
  return loopback !== null && client.redirectUris.some((r) => withoutPort(r) === loopback);
}

/**
 * The redirect URI must be one the client registered. It may be left out when the client has
 * exactly one (RFC 6749 §3.1.2.3), except in OpenID Connect requests, where it is required
 * (Core §3.1.2.1). Errors here are pages: redirecting to an unchecked URI would make this server
 * an open redirector (RFC 6749 §4.1.2.1).
 */
export function checkRedirectUri(client: Client, params: Record<string, string>): string {
  const given = params.redirect_uri;
  if (given === undefined) {
    const openid = (params.scope ?? '').split(' ').includes('openid');
    if (client.redirectUris.length === 1 && !openid) return client.redirectUris[0];
    throw new InvalidRequest('The request does not say where to return to (redirect_uri).');
  }

  if (!isRegistered(client, given)) {
    throw new InvalidRequest(
      'The address this request wants to return to is not registered for the application.',
      `redirect_uri ${given} not registered`,
    );
  }
  return given;
}
