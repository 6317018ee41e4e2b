/**
 * `authly serve`: one process, or a primary that migrates and creates the first keys once, then
 * forks `workers` processes sharing the port (node:cluster). SIGINT or SIGTERM stops it
 * gracefully: no new connections, requests in flight finish, then the store closes.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import type { Config } from './config/config.js';
import { KeyRing } from './crypto/key-ring.js';
import { createLogger } from './http/logger.js';
import { openStore } from './store/index.js';

/** How long requests in flight get to finish after a stop signal before the process exits. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Start-up failed in a way the operator can fix: one line, no stack. */
export class ServeFailed extends Error {
  readonly code = 'ERR_SERVE_FAILED';
}

/**
 * Serves until SIGINT or SIGTERM, then shuts down and answers the exit code: 0 after a graceful
 * stop, 1 when a worker could not start or the stop did not finish in time.
 */
export async function serve(config: Config): Promise<number> {
  if (cluster.isPrimary && config.workers > 1) return runPrimary(config);
  return runServer(config);
}

async function runServer(config: Config): Promise<number> {
  // Under a primary, migrations and the first keys are done before this worker was forked.
  const app = await createApp(config, { skipMigrations: cluster.isWorker });
  const logger = app.ctx.logger;
  try {
    await app.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw listenFailure(error, config);
  }
  const { port } = app.server.server.address() as AddressInfo;
  logger.info(
    { issuer: config.issuer, host: config.host, port, database: app.ctx.store.engine },
    'authly listening',
  );

  // Under a primary, a terminal's Ctrl-C reaches the worker twice (from the terminal and from
  // the primary): only the first counts, and the primary decides when to force.
  const signal = await stopSignal(cluster.isWorker ? null : () => forceExit(logger));
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => forceExit(logger), SHUTDOWN_GRACE_MS);
  timer.unref();
  await app.close();
  clearTimeout(timer);
  logger.info('stopped');
  // The channel to the primary would keep a worker alive; closing it lets the process end.
  cluster.worker?.disconnect();
  return 0;
}

function listenFailure(error: unknown, config: Config): Error {
  const code = (error as { code?: string }).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    return new ServeFailed(`cannot listen on ${where}: the port is in use`);
  }
  if (code === 'EACCES') return new ServeFailed(`cannot listen on ${where}: permission denied`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new ServeFailed(`cannot listen on ${where}: no such address on this machine`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Answers the first SIGINT or SIGTERM; later ones call `onRepeat`, or are ignored. */
function stopSignal(onRepeat: (() => void) | null): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handle = (signal: NodeJS.Signals) => {
      if (!received) resolve(signal);
      else onRepeat?.();
      received = true;
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
  });
}

function forceExit(logger: Logger): never {
  logger.error('requests did not finish in time; exiting');
  process.exit(1);
}

/**
 * The primary: applies migrations and creates the first keys once (so that workers do not race
 * for them), forks the workers, replaces a worker that dies after it was serving, and stops
 * everything when a worker cannot start at all (a restart would fail the same way).
 */
async function runPrimary(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel);
  await prepareStore(config, logger);

  return new Promise((resolve) => {
    const live = new Set<Worker>();
    const serving = new Set<Worker>();
    let stopping = false;
    let exitCode = 0;

    const fork = () => live.add(cluster.fork());
    const stopAll = () => {
      stopping = true;
      for (const worker of live) worker.process.kill('SIGTERM');
      if (live.size === 0) resolve(exitCode);
    };

    cluster.on('listening', (worker) => serving.add(worker));
    cluster.on('exit', (worker, code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) resolve(exitCode);
        return;
      }
      if (!serving.has(worker)) {
        logger.error({ pid: worker.process.pid, code }, 'a worker could not start; stopping');
        exitCode = 1;
        stopAll();
        return;
      }
      serving.delete(worker);
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker died; starting another');
      fork();
    });

    stopSignal(() => {
      // A second signal: the operator does not want to wait.
      for (const worker of live) worker.process.kill('SIGKILL');
      process.exit(1);
    }).then((signal) => {
      logger.info({ signal }, 'stopping the workers');
      stopAll();
    });

    for (let i = 0; i < config.workers; i++) fork();
    logger.info({ workers: config.workers, port: config.port }, 'primary started');
  });
}

async function prepareStore(config: Config, logger: Logger): Promise<void> {
  const store = await openStore(config.databaseUrl, { poolSize: 1 });
  try {
    const { applied } = await store.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    // Also proves that AUTHLY_KEY_ENCRYPTION_SECRET opens the keys, before any worker starts.
    await KeyRing.load(store, config.keyEncryptionSecret, () => new Date());
  } finally {
    await store.close();
  }
}
