import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../crypto/hash.js';
import { InvalidGrant } from '../errors.js';

/** RFC 7636 §4.1: 43 to 128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Checks the shape of a code_verifier before anything is spent on it. */
export function checkVerifierFormat(verifier: string | undefined): string {
  // OAuth 2.1 §4.1.3: a code issued with a challenge is redeemed only with its verifier; every
  // Authly code has one, so a missing verifier is a failed proof like a wrong one.
  if (verifier === undefined) throw new InvalidGrant('code_verifier is missing');
  if (!VERIFIER.test(verifier)) throw new InvalidGrant('code_verifier is malformed');
  return verifier;
}

/** RFC 7636 §4.2: the S256 challenge of a verifier, BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.6: BASE64URL(SHA256(verifier)) equals the stored challenge (S256 only). */
export function checkPkce(verifier: string, challenge: string): void {
  if (!constantTimeEqual(pkceChallenge(verifier), challenge)) {
    throw new InvalidGrant('code_verifier does not match the code_challenge');
  }
}
