/**
 * Registered clients kept in memory for a few seconds. Every token, revocation and introspection
 * request authenticates its client, and clients change rarely (created and deleted, never edited),
 * so a short-lived copy saves one store round trip per request. Unknown ids are not cached, so a
 * newly created client works at once; a deleted one keeps working for at most CLIENT_CACHE_MS.
 */
import type { Client, Store } from '../../store/types.js';

/** How long a loaded client is trusted before it is read again. */
export const CLIENT_CACHE_MS = 5_000;
/** Above this many entries the cache is emptied, so that it never grows without bound. */
const MAX_ENTRIES = 10_000;

interface Entry {
  client: Client;
  loadedAt: number;
}

// One cache per store, so that apps in the same process (tests, workers) never share entries.
const caches = new WeakMap<Store, Map<string, Entry>>();

/** The client `clientId`, from memory when loaded less than CLIENT_CACHE_MS ago. */
export async function loadClient(store: Store, clientId: string): Promise<Client | null> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }

  // Wall-clock time, not the injected clock: freshness of a cache is not protocol time.
  const now = performance.now();
  const cached = cache.get(clientId);
  if (cached && now - cached.loadedAt < CLIENT_CACHE_MS) return cached.client;

  const client = await store.clients.find(clientId);
  if (!client) {
    cache.delete(clientId);
    return null;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(clientId, { client, loadedAt: now });
  return client;
}

/** Drops a client from the cache of `store` (after deleting it in this process). */
export function forgetClient(store: Store, clientId: string): void {
  caches.get(store)?.delete(clientId);
}
