/**
 * What argon2id can do on this machine: password verifications per second across all cores,
 * through @node-rs/argon2 on the libuv thread pool as the server runs them, measured in a process
 * of its own while nothing else runs. The password grant cannot go faster than this, since each
 * grant verifies one hash; its ratio to this figure is what the report gives.
 */
import { availableParallelism } from 'node:os';
import { hashPassword, verifyPassword } from '../src/crypto/password.js';

/** The measurement, as the report shows it. */
export interface Argon2Capacity {
  hashesPerSecond: number;
  /** Verifications in flight at once (the libuv pool runs as many as it has threads). */
  inFlight: number;
  threadPool: number;
  cores: number;
  parameters: string;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const threadPool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const inFlight = Math.max(threadPool, availableParallelism()) * 2;

async function measure(): Promise<Argon2Capacity> {
  const hash = await hashPassword('benchmark-password');
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

  return {
    hashesPerSecond: Math.round((done / elapsed) * 10) / 10,
    inFlight,
    threadPool,
    cores: availableParallelism(),
    parameters: 'argon2id m=19456 KiB, t=2, p=1 (src/crypto/password.ts)',
  };
}

process.send?.({ type: 'ready' });
measure().then(
  (capacity) => process.send?.({ type: 'capacity', capacity }),
  (error: Error) => process.send?.({ type: 'capacity-failed', message: error.message }),
);
