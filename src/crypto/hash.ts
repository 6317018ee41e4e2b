import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256, base64url. Used for values that carry 256 bits of randomness (client secrets, codes,
 * refresh tokens, session ids): a slow hash adds nothing against guessing them and would cap the
 * token endpoint.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend a comparison so that the length check is not a faster path.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
