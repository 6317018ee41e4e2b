/**
 * GET and POST /userinfo (OpenID Connect Core §5.3), a protected resource under RFC 6750. The
 * checks, in order:
 * 1. the request presents one access token (header, or form body on POST); none at all answers
 *    401 with a bare Bearer challenge and no error code (RFC 6750 §3.1);
 * 2. the token is a live access token of this server: signature, expiry, not revoked, and meant
 *    for Authly itself (`aud` holds the issuer) — otherwise 401 invalid_token;
 * 3. the token was granted by a user who still exists; client_credentials tokens name no user,
 *    so they are invalid here rather than merely short of scope — 401 invalid_token;
 * 4. the token carries `openid` (Core §5.3.1) — otherwise 403 insufficient_scope;
 * 5. the answer is the user's claims for the token's scopes, `sub` first (Core §5.3.2), the same
 *    `sub` as in the ID token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { noStore } from '../../http/no-store.js';
import { claimsForScope } from '../../oidc/claims.js';
import { verifyAccessToken, type AccessTokenClaims } from '../../tokens/access-token.js';
import { bearerChallenge, readBearerToken } from '../../tokens/bearer.js';
import { InsufficientScope, InvalidToken } from '../errors.js';

/** The userinfo endpoint's path, relative to the issuer. */
export const USERINFO_PATH = '/userinfo';

function audiences(claims: AccessTokenClaims): string[] {
  return Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}

async function answer(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const token = readBearerToken(request);
  if (token === null) {
    return reply.code(401).header('www-authenticate', bearerChallenge()).send();
  }

  const claims = await verifyAccessToken(ctx, token);
  if (!claims) throw new InvalidToken('not a live access token');
  request.clientId = claims.client_id;
  if (!audiences(claims).includes(ctx.config.issuer)) {
    throw new InvalidToken('the token is meant for another resource');
  }

  if (claims.sub === claims.client_id) throw new InvalidToken('the token names no user');
  const user = await ctx.store.users.findById(claims.sub);
  if (!user) throw new InvalidToken('the user no longer exists');

  const scope = claims.scope.split(' ');
  if (!scope.includes('openid')) throw new InsufficientScope('openid');

  return reply.type('application/json; charset=utf-8').send(claimsForScope(user, scope));
}

/** Registers GET and POST /userinfo. */
export function registerUserinfo(app: FastifyInstance, ctx: AppContext): void {
  const handler = (request: FastifyRequest, reply: FastifyReply) => answer(ctx, request, reply);
  app.get(USERINFO_PATH, { onSend: noStore }, handler);
  app.post(USERINFO_PATH, { onSend: noStore }, handler);
}
