/**
 * POST /introspect: token introspection (RFC 7662). The steps, in order:
 * 1. form body only (§2.1), single-valued parameters;
 * 2. client authentication (§2.1 requires authorization of the caller): any confidential client
 *    that authenticates may introspect any token, because resource servers are registered as
 *    clients of their own and must read tokens issued to others; public clients cannot
 *    authenticate, so they are refused (401 invalid_client);
 * 3. `token` is required; `token_type_hint` is read but not needed (see presented-token.ts);
 * 4. the answer is `{"active": false}` and nothing more for anything that is not a live token
 *    (§2.2: unknown, malformed, expired, revoked, or a spent refresh token), so that it reveals
 *    nothing about why.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { noStore } from '../../http/no-store.js';
import { formParams } from '../../http/params.js';
import { verifyAccessToken } from '../../tokens/access-token.js';
import { loadRefreshToken, tokenKind } from '../../tokens/presented-token.js';
import { isRefreshTokenActive } from '../../tokens/refresh-token.js';
import { authenticateClient } from '../client-auth/index.js';
import { InvalidClient, InvalidRequest } from '../errors.js';
import { loadUsername } from './username-cache.js';

/** The RFC 7662 §2.2 response members Authly sends. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: 'Bearer' | 'refresh_token';
  exp?: number;
  iat?: number;
  sub?: string;
  aud?: string | string[];
  iss?: string;
  jti?: string;
}

const INACTIVE: IntrospectionResponse = { active: false };

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The user's name for `username`, when the subject is a user (not a client acting for itself). */
function usernameOf(ctx: AppContext, userId: string): Promise<string | undefined> {
  return loadUsername(ctx.store, userId);
}

async function introspectAccessToken(
  ctx: AppContext,
  token: string,
): Promise<IntrospectionResponse> {
  const claims = await verifyAccessToken(ctx, token);
  if (!claims) return INACTIVE;

  // RFC 9068 §2.2: a client_credentials token names the client itself as `sub`.
  const hasUser = claims.sub !== claims.client_id;
  return {
    active: true,
    scope: claims.scope,
    client_id: claims.client_id,
    username: hasUser ? await usernameOf(ctx, claims.sub) : undefined,
    token_type: 'Bearer',
    exp: claims.exp,
    iat: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
  };
}

async function introspectRefreshToken(
  ctx: AppContext,
  token: string,
): Promise<IntrospectionResponse> {
  const stored = await loadRefreshToken(ctx, token);
  if (!stored || !isRefreshTokenActive(stored, ctx.clock())) return INACTIVE;

  return {
    active: true,
    scope: stored.scope.join(' '),
    client_id: stored.clientId,
    username: stored.userId ? await usernameOf(ctx, stored.userId) : undefined,
    token_type: 'refresh_token',
    // Never later than the family's end: rotation caps each token's expiry at it.
    exp: seconds(stored.expiresAt),
    iat: seconds(stored.issuedAt),
    sub: stored.userId ?? undefined,
    iss: ctx.config.issuer,
  };
}

/** Registers POST /introspect. */
export function registerIntrospect(app: FastifyInstance, ctx: AppContext): void {
  app.post('/introspect', { onSend: noStore }, async (request, reply) => {
    const params = formParams(request);
    const client = await authenticateClient(request, params, ctx);
    if (client.authMethod === 'none') {
      throw new InvalidClient('public clients may not introspect tokens');
    }
    const token = params.token;
    if (token === undefined) throw new InvalidRequest('token is required');

    const answer =
      tokenKind(token) === 'access_token'
        ? await introspectAccessToken(ctx, token)
        : await introspectRefreshToken(ctx, token);
    // §2.2: application/json; undefined members are left out by JSON serialisation.
    return reply.type('application/json; charset=utf-8').send(answer);
  });
}
