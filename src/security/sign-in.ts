/**
 * Checking a username and password, shared by the sign-in page and the password grant. Failures
 * are slowed two ways: per account (a lockout stored on the user, so it holds across workers and
 * nodes) and per address (a throttle in the rate limiter). Both count an attempt before its
 * password is known, so concurrent guesses are bounded like sequential ones. Every failure looks
 * the same to the caller, so that nobody learns which usernames exist.
 */
import type { AppContext } from '../context.js';
import { decoyHash, verifyPassword } from '../crypto/password.js';
import type { User } from '../store/types.js';

/** Failed attempts on one account before it is locked. */
export const LOCKOUT_THRESHOLD = 5;
/** How long a locked account stays locked. */
export const LOCKOUT_SECONDS = 15 * 60;
/** Failed attempts from one address within ADDRESS_WINDOW_SECONDS before it is refused. */
export const ADDRESS_LIMIT = 20;
export const ADDRESS_WINDOW_SECONDS = 5 * 60;

/** Why a sign-in was refused; `throttled` carries the seconds until a retry may succeed. */
export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

/**
 * Checks `username` (or email) and `password` from `address`. The password hash runs on the libuv
 * thread pool (argon2id in @node-rs/argon2), never on the event loop. A locked account answers
 * `invalid`, like a wrong password, so that a lockout cannot be used to probe for accounts.
 */
export async function checkSignIn(
  ctx: AppContext,
  username: string,
  password: string,
  address: string,
): Promise<SignInResult> {
  // The attempt is counted before the password is checked, and taken back if it succeeds: a
  // burst of concurrent guesses cannot all pass a check made before any of them was counted.
  const addressKey = `sign-in:address:${address}`;
  const byAddress = await ctx.rateLimiter.hit(addressKey, ADDRESS_WINDOW_SECONDS);
  if (byAddress.count > ADDRESS_LIMIT) {
    return { ok: false, reason: 'throttled', retryAfter: byAddress.resetIn };
  }

  const user = await findUser(ctx, username);
  const now = ctx.clock();
  const lockUntil = new Date(now.getTime() + LOCKOUT_SECONDS * 1000);
  // The account's attempt is counted the same way, in the store (so that every node sees it),
  // while the hash is computed: null means locked, and a locked account fails like a wrong
  // password. An unknown user costs the same hash.
  const [attempts, matches] = await Promise.all([
    user ? ctx.store.users.countSignInAttempt(user.id, now, LOCKOUT_THRESHOLD, lockUntil) : null,
    verifyPassword(user?.passwordHash ?? (await decoyHash()), password),
  ]);

  if (user && attempts !== null && matches) {
    await Promise.all([
      ctx.rateLimiter.release(addressKey),
      ctx.store.users.recordSuccessfulLogin(user.id),
    ]);
    return { ok: true, user };
  }

  if (user && attempts !== null && attempts >= LOCKOUT_THRESHOLD) {
    ctx.logger.warn({ event: 'user.locked', userId: user.id }, 'account locked');
  }
  ctx.logger.info({ event: 'login.failed', address }, 'sign-in failed');
  return { ok: false, reason: 'invalid' };
}

function findUser(ctx: AppContext, username: string): Promise<User | null> {
  return username.includes('@')
    ? ctx.store.users.findByEmail(username)
    : ctx.store.users.findByUsername(username);
}
