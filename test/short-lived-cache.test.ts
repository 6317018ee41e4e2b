/**
 * The short-lived caches in front of the store (clients, usernames): a value read once is served
 * from memory until its time is up, a row the store lacks is never remembered, and two stores
 * never share entries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../src/store/index.js';
import { ShortLivedCache } from '../src/store/short-lived-cache.js';
import type { Store } from '../src/store/types.js';
import { freshDatabaseUrl } from './helpers/engines.js';

describe('short-lived cache', () => {
  let first: Store;
  let second: Store;

  before(async () => {
    first = await openStore(await freshDatabaseUrl('sqlite'));
    second = await openStore(await freshDatabaseUrl('sqlite'));
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  /** A reader that answers `value` and counts its calls. */
  function counted(value: string | null) {
    const reader = async () => {
      reader.calls++;
      return value;
    };
    reader.calls = 0;
    return reader;
  }

  test('a value is read once, then served from memory until its time is up', async () => {
    const cache = new ShortLivedCache<string>(200);
    const read = counted('alice');
    assert.equal(await cache.load(first, 'u1', read), 'alice');
    assert.equal(await cache.load(first, 'u1', read), 'alice');
    assert.equal(read.calls, 1);

    await sleep(250);
    assert.equal(await cache.load(first, 'u1', read), 'alice');
    assert.equal(read.calls, 2);
  });

  test('what the store lacks is read again every time', async () => {
    const cache = new ShortLivedCache<string>(60_000);
    const read = counted(null);
    assert.equal(await cache.load(first, 'nobody', read), null);
    assert.equal(await cache.load(first, 'nobody', read), null);
    assert.equal(read.calls, 2);
  });

  test('each store has its own entries; forget drops one', async () => {
    const cache = new ShortLivedCache<string>(60_000);
    await cache.load(first, 'k', counted('from the first'));
    assert.equal(await cache.load(second, 'k', counted('from the second')), 'from the second');
    assert.equal(await cache.load(first, 'k', counted('unused')), 'from the first');

    cache.forget(first, 'k');
    assert.equal(await cache.load(first, 'k', counted('read again')), 'read again');
  });

  test('past its size the cache starts again rather than growing', async () => {
    const cache = new ShortLivedCache<string>(60_000, 2);
    await cache.load(first, 'a', counted('1'));
    await cache.load(first, 'b', counted('2'));
    await cache.load(first, 'c', counted('3'));
    const read = counted('1 again');
    assert.equal(await cache.load(first, 'a', read), '1 again');
    assert.equal(read.calls, 1);
  });
});
