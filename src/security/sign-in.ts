/**
 * Checking a username and password, shared by the sign-in page and the password grant. Failures
 * are slowed two ways: per account (a lockout stored on the user, so it holds across workers and
 * nodes) and per address (a throttle in the rate limiter). Every failure looks the same to the
 * caller, so that nobody learns which usernames exist.
 *
 * Only failures count, so that any number of people behind one address, or one service account
 * signing in from many threads, are never slowed while they get their passwords right. Once an
 * account or an address has a failure on record, each further attempt is counted before its
 * password is checked (and taken back when it succeeds): from then on a burst of concurrent
 * guesses is bounded like sequential ones. Only the very first burst against an account and an
 * address with a clean record is counted as its answers come in.
 */
import type { AppContext } from '../context.js';
import { decoyHash } from '../crypto/password.js';
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
 * thread pool (argon2id in @node-rs/argon2), never on the event loop, a bounded number at a time.
 * A locked account answers `invalid`, like a wrong password, so that a lockout cannot be used to
 * probe for accounts.
 */
export async function checkSignIn(
  ctx: AppContext,
  username: string,
  password: string,
  address: string,
): Promise<SignInResult> {
  const addressKey = `sign-in:address:${address}`;
  const addressAhead = (await ctx.rateLimiter.peek(addressKey)).count > 0;
  if (addressAhead) {
    const byAddress = await ctx.rateLimiter.hit(addressKey, ADDRESS_WINDOW_SECONDS);
    if (byAddress.count > ADDRESS_LIMIT) {
      // A refused attempt tried no password: it does not count against the address.
      await ctx.rateLimiter.release(addressKey);
      return { ok: false, reason: 'throttled', retryAfter: byAddress.resetIn };
    }
  }

  const user = await findUser(ctx, username);
  const now = ctx.clock();
  const lockUntil = new Date(now.getTime() + LOCKOUT_SECONDS * 1000);
  const countAttempt = (id: string) =>
    ctx.store.users.countSignInAttempt(id, now, LOCKOUT_THRESHOLD, lockUntil);
  // The account's count is in the store, so that every node sees it; when it is counted ahead,
  // the write runs while the hash is computed. null means locked. An unknown user costs the same
  // hash as a known one.
  const accountAhead = user !== null && user.failedLogins > 0;
  const [ahead, matches] = await Promise.all([
    accountAhead ? countAttempt(user.id) : null,
    ctx.passwords.verify(user?.passwordHash ?? (await decoyHash()), password),
  ]);
  const locked = accountAhead ? ahead === null : isLocked(user, now);

  if (user && !locked && matches) {
    await Promise.all([
      addressAhead ? ctx.rateLimiter.release(addressKey) : undefined,
      accountAhead ? ctx.store.users.recordSuccessfulLogin(user.id) : undefined,
    ]);
    return { ok: true, user };
  }

  const [attempts] = await Promise.all([
    user && !locked ? (accountAhead ? ahead : countAttempt(user.id)) : null,
    addressAhead ? undefined : ctx.rateLimiter.hit(addressKey, ADDRESS_WINDOW_SECONDS),
  ]);
  if (attempts !== null && attempts >= LOCKOUT_THRESHOLD) {
    ctx.logger.warn({ event: 'user.locked', userId: user!.id }, 'account locked');
  }
  ctx.logger.info({ event: 'login.failed', address }, 'sign-in failed');
  return { ok: false, reason: 'invalid' };
}

function isLocked(user: User | null, now: Date): boolean {
  return user?.lockedUntil != null && user.lockedUntil > now;
}

function findUser(ctx: AppContext, username: string): Promise<User | null> {
  return username.includes('@')
    ? ctx.store.users.findByEmail(username)
    : ctx.store.users.findByUsername(username);
}
