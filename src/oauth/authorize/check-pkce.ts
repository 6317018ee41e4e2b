import { InvalidRequest } from '../errors.js';

/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * PKCE is required of every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1), with S256 only: `plain`
 * offers no protection when the request is observed. A missing method would mean `plain`
 * (RFC 7636 §4.3), so it is refused too rather than silently taken as S256.
 */
export function checkPkce(params: Record<string, string>): string {
  const challenge = params.code_challenge;
  if (challenge === undefined) throw new InvalidRequest('code_challenge is required (PKCE)');

  if (params.code_challenge_method !== 'S256') {
    throw new InvalidRequest('code_challenge_method must be S256');
  }
  if (!S256_CHALLENGE.test(challenge)) {
    throw new InvalidRequest('code_challenge must be 43 base64url characters');
  }
  return challenge;
}
