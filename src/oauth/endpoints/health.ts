/**
 * GET /health (liveness: the process answers) and GET /ready (readiness: the database answers;
 * 503 while it does not, so that a load balancer stops sending traffic here).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

/** A readiness probe must answer quickly even when the database hangs. */
const READY_TIMEOUT_MS = 2000;

export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/health', (_request, reply) => {
    reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  app.get('/ready', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await withTimeout(ctx.store.ping(), READY_TIMEOUT_MS);
      return { status: 'ready', database: ctx.store.engine };
    } catch (error) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: ctx.store.engine });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
