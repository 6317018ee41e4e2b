/**
 * Rows kept in memory for a few seconds, one cache per store (so that apps in the same process,
 * tests or workers, never share entries). For data that is read on hot paths and changes rarely:
 * a row is trusted for `ttlMs` after it was read, then read again; what the store does not have
 * is not cached, so a row created elsewhere is seen at once.
 */
import type { Store } from './types.js';

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/** A cache of `T` by string key, per store. */
export class ShortLivedCache<T> {
  private readonly caches = new WeakMap<Store, Map<string, Entry<T>>>();

  /**
   * @param ttlMs how long a value is trusted after it was read
   * @param maxEntries above this many the cache is emptied, so that it never grows without bound
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The value for `key`, from memory when read less than ttlMs ago, else from `read`. */
  async load(store: Store, key: string, read: () => Promise<T | null>): Promise<T | null> {
    let cache = this.caches.get(store);
    if (!cache) {
      cache = new Map();
      this.caches.set(store, cache);
    }

    // Wall-clock time, not the injected clock: freshness of a cache is not protocol time.
    const now = performance.now();
    const cached = cache.get(key);
    if (cached && now - cached.loadedAt < this.ttlMs) return cached.value;

    const value = await read();
    if (value === null) {
      cache.delete(key);
      return null;
    }
    if (cache.size >= this.maxEntries) cache.clear();
    cache.set(key, { value, loadedAt: now });
    return value;
  }

  /** Drops `key` from the cache of `store`. */
  forget(store: Store, key: string): void {
    this.caches.get(store)?.delete(key);
  }
}
