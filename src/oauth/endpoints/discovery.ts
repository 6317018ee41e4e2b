/**
 * GET /.well-known/oauth-authorization-server (RFC 8414) and
 * GET /.well-known/openid-configuration (OIDC Discovery 1.0). The document is serialised once at
 * start and served from memory; it changes only with the configuration.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { buildMetadata } from '../metadata.js';

/** Metadata may be cached by clients for a few minutes. */
const CACHE_CONTROL = 'public, max-age=300';

export function registerDiscovery(app: FastifyInstance, ctx: AppContext): void {
  const body = JSON.stringify(buildMetadata(ctx.config));
  const serve = (_request: unknown, reply: import('fastify').FastifyReply) => {
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', CACHE_CONTROL)
      .header('access-control-allow-origin', '*')
      .send(body);
  };
  app.get('/.well-known/oauth-authorization-server', serve);
  app.get('/.well-known/openid-configuration', serve);
}
