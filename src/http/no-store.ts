import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Route `onSend` hook for answers that carry or describe tokens or personal data (RFC 6749 §5.1,
 * RFC 7662 §2.2, OpenID Connect Core §5.3.2): no cache may keep them, success or error.
 * `Pragma: no-cache` is for HTTP/1.0 caches, as RFC 6749 §5.1 shows it. A callback hook rather
 * than an async one: it runs on every answer of the hottest endpoints and needs no promise.
 */
export function noStore(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  done(null, payload);
}
