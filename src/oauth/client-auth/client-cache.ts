/**
 * Registered clients kept in memory for a few seconds. Every token, revocation and introspection
 * request authenticates its client, and clients change rarely (created and deleted, never edited),
 * so a short-lived copy saves one store round trip per request. Unknown ids are not cached, so a
 * newly created client works at once; a deleted one keeps working for at most CLIENT_CACHE_MS.
 */
import { ShortLivedCache } from '../../store/short-lived-cache.js';
import type { Client, Store } from '../../store/types.js';

/** How long a loaded client is trusted before it is read again. */
export const CLIENT_CACHE_MS = 5_000;

const clients = new ShortLivedCache<Client>(CLIENT_CACHE_MS);

/** The client `clientId`, from memory when loaded less than CLIENT_CACHE_MS ago. */
export function loadClient(store: Store, clientId: string): Promise<Client | null> {
  return clients.load(store, clientId, () => store.clients.find(clientId));
}

/** Drops a client from the cache of `store` (after deleting it in this process). */
export function forgetClient(store: Store, clientId: string): void {
  clients.forget(store, clientId);
}
