import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { sha256 } from '../../crypto/hash.js';
import { randomToken } from '../../crypto/random.js';
import type { LoginSession } from '../../store/types.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { respond } from './respond.js';

/**
 * Issues the authorization code and sends it to the client. The code is 256 random bits, stored
 * only as its SHA-256, bound to the client, redirect URI, PKCE challenge, user and session, and
 * valid for config.codeTtl seconds (OAuth 2.1 §4.1.2: short-lived, single use).
 */
export async function issueCode(
  ctx: AppContext,
  reply: FastifyReply,
  request: AuthorizationRequest,
  session: LoginSession,
) {
  const code = randomToken();
  const now = ctx.clock();
  await ctx.store.codes.create({
    codeHash: sha256(code),
    clientId: request.client.clientId,
    userId: session.userId,
    redirectUri: request.target.redirectUri,
    scope: request.scope,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: 'S256',
    nonce: request.nonce ?? null,
    authTime: session.authTime,
    maxAgeRequested: request.maxAge !== undefined,
    sessionId: session.idHash,
    expiresAt: new Date(now.getTime() + ctx.config.codeTtl * 1000),
  });

  ctx.logger.info(
    { event: 'code.issued', clientId: request.client.clientId, userId: session.userId },
    'authorization code issued',
  );
  return respond(ctx, reply, request.target, { code });
}
