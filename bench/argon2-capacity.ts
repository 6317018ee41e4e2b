/**
 * What argon2id can do on this machine: password verifications per second across all cores,
 * through @node-rs/argon2 on the libuv thread pool as the server runs them, measured in a process
 * of its own while nothing else runs. The password grant cannot go faster than this, since each
 * grant verifies one hash; its ratio to this figure is what the report gives. The best of one and
 * two hashes in flight per core is taken, in a pool with a thread for each.
 */
import { availableParallelism } from 'node:os';
import { hashPassword, verifyPassword } from '../src/crypto/password.js';

/** The measurement, as the report shows it. */
export interface Argon2Capacity {
  /** The best of the levels tried. */
  hashesPerSecond: number;
  /** Verifications in flight at once at the best level. */
  inFlight: number;
  /** Each level tried: verifications in flight and what they did per second. */
  levels: Array<{ inFlight: number; hashesPerSecond: number }>;
  threadPool: number;
  cores: number;
  parameters: string;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const threadPool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const cores = availableParallelism();
// argon2id is bound by memory bandwidth: more hashes in flight than cores can do less, not more,
// so the capacity is the best of one per core and two per core (within the pool's threads).
const levels = [...new Set([cores, cores * 2].map((n) => Math.min(n, threadPool)))];

async function measureLevel(hash: string, inFlight: number): Promise<number> {
  // One round first, so that the pool's threads exist before the clock starts.
  await Promise.all(Array.from({ length: inFlight }, () => verifyPassword(hash, 'x')));
  let done = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      await verifyPassword(hash, 'benchmark-password');
      done++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return Math.round((done / elapsed) * 10) / 10;
}

async function measure(): Promise<Argon2Capacity> {
  const hash = await hashPassword('benchmark-password');
  const measured = [];
  for (const inFlight of levels) {
    measured.push({ inFlight, hashesPerSecond: await measureLevel(hash, inFlight) });
  }
  const best = measured.reduce((a, b) => (b.hashesPerSecond > a.hashesPerSecond ? b : a));
  return {
    hashesPerSecond: best.hashesPerSecond,
    inFlight: best.inFlight,
    levels: measured,
    threadPool,
    cores,
    parameters: 'argon2id m=19456 KiB, t=2, p=1 (src/crypto/password.ts)',
  };
}

process.send?.({ type: 'ready' });
measure().then(
  (capacity) => process.send?.({ type: 'capacity', capacity }),
  (error: Error) => process.send?.({ type: 'capacity-failed', message: error.message }),
);
