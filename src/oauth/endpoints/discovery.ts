/**
 * GET /.well-known/oauth-authorization-server (RFC 8414) and
 * GET /.well-known/openid-configuration (OIDC Discovery 1.0). The document is serialised once at
 * start and served from memory; it changes only with the configuration. The exact paths are
 * answered by the static fast path (src/http/static-documents.ts); the routes here serve the
 * same bytes for what falls through to Fastify (a query string, a trailing slash).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { registerStaticRoute, type StaticDocument } from '../../http/static-documents.js';
import { buildMetadata } from '../metadata.js';

/** Metadata may be cached by clients for a few minutes. */
const CACHE_CONTROL = 'public, max-age=300';

const PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];

/** Both metadata documents, for the static fast path. */
export function discoveryDocuments(ctx: AppContext): StaticDocument[] {
  // Read at the first request, not here: tests set the issuer once the port is known.
  let body: string | undefined;
  const document = () => (body ??= JSON.stringify(buildMetadata(ctx.config)));
  return PATHS.map((path) => ({
    path,
    contentType: 'application/json; charset=utf-8',
    cacheControl: CACHE_CONTROL,
    body: document,
  }));
}

/** Registers both discovery routes. */
export function registerDiscovery(app: FastifyInstance, ctx: AppContext): void {
  for (const document of discoveryDocuments(ctx)) registerStaticRoute(app, document);
}
