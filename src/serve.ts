/**
 * `authly serve`: one process, or a primary that migrates once and forks `workers` processes that
 * share the port (node:cluster). Stops gracefully on SIGINT and SIGTERM.
 */
import cluster from 'node:cluster';
import type { Config } from './config/config.js';
import { createApp } from './app.js';
import { createLogger } from './http/logger.js';
import { openStore } from './store/index.js';

/** Starts serving; resolves once listening (single process) or once workers are forked. */
export async function serve(config: Config): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return startPrimary(config);
  return startWorker(config, cluster.isWorker);
}

async function startPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl, { poolSize: 1 });
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } finally {
    await store.close();
  }

  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.error({ worker: worker.process.pid, code }, 'worker exited; starting another');
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ workers: config.workers, port: config.port }, 'primary started');
}

async function startWorker(config: Config, isWorker: boolean): Promise<void> {
  const app = await createApp(config, { skipMigrations: isWorker });
  await app.server.listen({ port: config.port, host: config.host });
  app.ctx.logger.info(
    { issuer: config.issuer, port: config.port, database: app.ctx.store.engine },
    'authly listening',
  );

  const stop = async () => {
    app.ctx.logger.info('shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
