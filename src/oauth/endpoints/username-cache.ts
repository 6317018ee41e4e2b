/**
 * Usernames by user id, kept in memory for a few seconds for introspection (RFC 7662 §2.2
 * `username`). Every introspection of a user's token would otherwise read the user row, one store
 * round trip per call that resource servers make for every request they serve. Usernames are set
 * when a user is created and never edited; a deleted user's name may still be answered for at
 * most USERNAME_CACHE_MS, beside a token that stays active until it expires or is revoked anyway.
 */
import { ShortLivedCache } from '../../store/short-lived-cache.js';
import type { Store } from '../../store/types.js';

/** How long a username is trusted before it is read again. */
const USERNAME_CACHE_MS = 5_000;

const usernames = new ShortLivedCache<string>(USERNAME_CACHE_MS);

/** The username of `userId`, or undefined for an unknown user. */
export async function loadUsername(store: Store, userId: string): Promise<string | undefined> {
  const username = await usernames.load(store, userId, async () => {
    const user = await store.users.findById(userId);
    return user?.username ?? null;
  });
  return username ?? undefined;
}
