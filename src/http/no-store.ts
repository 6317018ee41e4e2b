import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Route `onSend` hook for answers that carry or describe tokens or personal data (RFC 6749 §5.1,
 * RFC 7662 §2.2, OpenID Connect Core §5.3.2): no cache may keep them, success or error.
 */
export async function noStore(_request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  reply.header('cache-control', 'no-store');
  return payload;
}
