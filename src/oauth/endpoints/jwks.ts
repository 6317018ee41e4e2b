/**
 * GET /.well-known/jwks.json: the public signing keys (RFC 7517), served from memory. The exact
 * path is answered by the static fast path (src/http/static-documents.ts); the route serves the
 * same bytes for what falls through to Fastify.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { registerStaticRoute, type StaticDocument } from '../../http/static-documents.js';

/** Short enough that a rotated key is seen soon; a verifier refetches on an unknown kid anyway. */
const CACHE_CONTROL = 'public, max-age=300';

/** The JWKS document, for the static fast path; its bytes change when the keys are reloaded. */
export function jwksDocument(ctx: AppContext): StaticDocument {
  return {
    path: '/.well-known/jwks.json',
    contentType: 'application/jwk-set+json',
    cacheControl: CACHE_CONTROL,
    body: () => ctx.keys.jwks(),
  };
}

/** Registers the JWKS route. */
export function registerJwks(app: FastifyInstance, ctx: AppContext): void {
  registerStaticRoute(app, jwksDocument(ctx));
}
