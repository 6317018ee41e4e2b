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
 * Verifies passwords at most `concurrency` at a time in this process; the others wait their turn
 * in order. argon2id is bound by memory bandwidth: with more hashes in flight than the machine
 * has cores (two workers with libuv's default pool of four threads each run eight on two cores),
 * they evict each other's 19 MiB from the caches and all of them finish later. The server sizes
 * `concurrency` to its share of the cores (AUTHLY_PASSWORD_HASH_CONCURRENCY).
 */
export class PasswordVerifier {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly concurrency: number) {}

  /** Verifications computing now. */
  get running(): number {
    return this.#running;
  }

  /** Verifications waiting for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async verify(phc: string, password: string): Promise<boolean> {
    if (this.#running < this.concurrency) this.#running++;
    else await new Promise<void>((turn) => this.#waiting.push(turn));
    try {
      return await verifyPassword(phc, password);
    } finally {
      // The turn passes straight to the next in line, so the count of running ones stays.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
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
