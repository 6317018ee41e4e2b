/** GET /.well-known/jwks.json: the public signing keys (RFC 7517), served from memory. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

/** Short enough that a rotated key is seen soon; a verifier refetches on an unknown kid anyway. */
const CACHE_CONTROL = 'public, max-age=300';

export function registerJwks(app: FastifyInstance, ctx: AppContext): void {
  app.get('/.well-known/jwks.json', (_request, reply) => {
    reply
      .header('content-type', 'application/jwk-set+json')
      .header('cache-control', CACHE_CONTROL)
      .header('access-control-allow-origin', '*')
      .send(ctx.keys.jwks());
  });
}
