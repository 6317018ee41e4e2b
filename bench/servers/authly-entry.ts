/**
 * The Authly process of a benchmark run: the same start-up as `authly serve` (configuration from
 * the environment, migrations, keys, then one process or a node:cluster primary with workers),
 * plus a `{ type: 'ready' }` message to the benchmark once every process is listening.
 */
import cluster from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/config.js';
import { serve } from '../../src/serve.js';

const config = loadConfig(process.env);

/** One process: ready once /ready answers 200 (the store is reachable and the port open). */
async function untilReady(): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${config.port}/ready`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
}

if (cluster.isPrimary) {
  if (config.workers > 1) {
    let listening = 0;
    cluster.on('listening', () => {
      if (++listening === config.workers) process.send?.({ type: 'ready' });
    });
  } else {
    void untilReady().then(() => process.send?.({ type: 'ready' }));
  }
}

serve(config).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`authly: ${error.message}\n`);
    process.exit(1);
  },
);
