import { randomBytes, randomUUID } from 'node:crypto';

/** 256 bits of randomness, base64url: codes, refresh tokens, client secrets, session ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A random identifier for rows and `jti` claims. */
export function randomId(): string {
  return randomUUID();
}
