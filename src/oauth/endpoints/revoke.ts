/**
 * POST /revoke: token revocation (RFC 7009). The steps, in order:
 * 1. form body only (§2.1), single-valued parameters;
 * 2. client authentication, as at the token endpoint (§2.1); public clients name themselves;
 * 3. `token` is required; `token_type_hint` is read but not needed (see presented-token.ts);
 * 4. an access token of the calling client has its `jti` denied until it expires; a refresh
 *    token of the calling client has its whole family revoked (RFC 9700 §4.14);
 * 5. 200 with an empty body, whatever the token was (§2.2): unknown, malformed, expired or another
 *    client's tokens are left alone without saying so, so the answer tells a caller nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { noStore } from '../../http/no-store.js';
import { formParams } from '../../http/params.js';
import type { Client } from '../../store/types.js';
import { loadRefreshToken, readAccessToken, tokenKind } from '../../tokens/presented-token.js';
import { authenticateClient } from '../client-auth/index.js';
import { InvalidRequest } from '../errors.js';

/** Denies an access token's `jti` until its expiry, when the token is the client's and live. */
async function revokeAccessToken(ctx: AppContext, client: Client, token: string) {
  const claims = readAccessToken(ctx, token);
  if (!claims || claims.client_id !== client.clientId) return false;

  const expiresAt = new Date(claims.exp * 1000);
  // An expired token is refused everywhere already; denying it would only add a row.
  if (expiresAt <= ctx.clock()) return false;
  await ctx.store.revokedTokens.revoke(claims.jti, expiresAt);
  return true;
}

/**
 * Revokes the family of a refresh token of the client. RFC 7009 §2.1 lets revoking one refresh
 * token end the whole grant, and after rotation the family is the grant.
 */
async function revokeRefreshToken(ctx: AppContext, client: Client, token: string) {
  const stored = await loadRefreshToken(ctx, token);
  if (!stored || stored.clientId !== client.clientId) return false;
  await ctx.store.refreshTokens.revokeFamily(stored.familyId, ctx.clock());
  return true;
}

/** Registers POST /revoke. */
export function registerRevoke(app: FastifyInstance, ctx: AppContext): void {
  app.post('/revoke', { onSend: noStore }, async (request, reply) => {
    const params = formParams(request);
    const client = await authenticateClient(request, params, ctx);
    const token = params.token;
    if (token === undefined) throw new InvalidRequest('token is required');

    const kind = tokenKind(token);
    const revoked =
      kind === 'access_token'
        ? await revokeAccessToken(ctx, client, token)
        : await revokeRefreshToken(ctx, client, token);

    if (revoked) request.log.info({ event: 'token.revoked', kind }, 'token revoked');
    return reply.code(200).send();
  });
}
