/**
 * RFC 6750 Bearer tokens at a protected resource (userinfo): where a request may carry its access
 * token, and the `WWW-Authenticate` challenge that answers a request without a good one.
 */
import type { FastifyRequest } from 'fastify';
import { formParams, hasFormBody, queryParams } from '../http/params.js';
import { InvalidRequest } from '../oauth/errors.js';

/** The protection space named in every challenge (RFC 6750 §3). */
export const BEARER_REALM = 'authly';

/** RFC 6750 §2.1 `b64token`: the only characters a token in the Authorization header may use. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** What a Bearer challenge says beyond the realm (RFC 6750 §3). */
export interface BearerChallenge {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description?: string;
  scope?: string;
}

/**
 * RFC 6750 §3 allows only %x20-21 / %x23-5B / %x5D-7E inside the quoted values, so anything else
 * (quotes, backslashes, control characters, non-ASCII) is replaced rather than escaped.
 */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?')}"`;
}

/**
 * The `WWW-Authenticate` value. With no error it is the bare challenge RFC 6750 §3.1 asks for when
 * the request carried no token at all.
 */
export function bearerChallenge(challenge: BearerChallenge = {}): string {
  const parts = [`realm=${quoted(BEARER_REALM)}`];
  if (challenge.error) parts.push(`error=${quoted(challenge.error)}`);
  if (challenge.description) parts.push(`error_description=${quoted(challenge.description)}`);
  if (challenge.scope) parts.push(`scope=${quoted(challenge.scope)}`);
  return `Bearer ${parts.join(', ')}`;
}

/**
 * The token in `Authorization: Bearer …` (RFC 6750 §2.1), null when the header is absent or uses
 * another scheme. The scheme is case-insensitive (RFC 9110 §11.1); a Bearer header that is not
 * exactly one b64token is a malformed request.
 */
function fromHeader(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^\s*bearer(?:\s+(.*))?$/i.exec(authorization);
  if (!match) return null;

  const token = (match[1] ?? '').trim();
  if (!B64TOKEN.test(token)) {
    throw new InvalidRequest('the Authorization header must be Bearer and one token');
  }
  return token;
}

function presentedToken(request: FastifyRequest): string | null {
  const header = fromHeader(request.headers.authorization);
  if (queryParams(request).access_token !== undefined) {
    throw new InvalidRequest('access tokens are not accepted in the query string');
  }
  const inBody = request.method === 'POST' && hasFormBody(request);
  const body = inBody ? formParams(request).access_token : undefined;

  if (header !== null && body !== undefined) {
    throw new InvalidRequest('send the access token in one place, not two');
  }
  return header ?? body ?? null;
}

/**
 * The access token a request presents, or null when it presents none. Accepted: the Authorization
 * header (RFC 6750 §2.1) and, on POST, a form body `access_token` (§2.2). Refused with 400
 * invalid_request and a challenge naming it (§3.1): both at once ("more than one method"), a
 * malformed header or body, and the query string (§2.3), which OAuth 2.1 §5.2 forbids because
 * URLs end up in logs and Referer headers.
 */
export function readBearerToken(request: FastifyRequest): string | null {
  try {
    return presentedToken(request);
  } catch (error) {
    if (error instanceof InvalidRequest) {
      const challenge = { error: 'invalid_request' as const, description: error.description };
      error.headers['www-authenticate'] = bearerChallenge(challenge);
    }
    throw error;
  }
}
