import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * argon2id with the OWASP parameters (m=19456 KiB, t=2, p=1). @node-rs/argon2 runs each hash on
 * the libuv thread pool, so the event loop stays free while a hash is computed (~19 ms here).
 */
const OPTIONS: Options = {
  algorithm: 2 as Options['algorithm'], // Argon2id (a const enum in the typings)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** Hashes a password into a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against a PHC string; false for a malformed hash rather than a throw. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified when the user does not exist so that a failed sign-in
 * costs the same either way and does not reveal which usernames exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('authly-decoy-password-never-matches');
  return decoy;
}
