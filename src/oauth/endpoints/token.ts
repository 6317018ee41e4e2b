/**
 * POST /token (RFC 6749 §3.2, OAuth 2.1 §3.2). The checks, in order:
 * 1. the body is a form with no repeated parameter (RFC 6749 §3.2, §3.1);
 * 2. grant_type is present and supported (unsupported_grant_type);
 * 3. the client authenticates with exactly its registered method (invalid_client, 401);
 * 4. the client is registered for the grant (unauthorized_client);
 * 5. the grant module checks its own parameters and issues the tokens.
 * Every answer, success or error, carries `Cache-Control: no-store` and `Pragma: no-cache`
 * (RFC 6749 §5.1).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { noStore } from '../../http/no-store.js';
import { formParams } from '../../http/params.js';
import { authenticateClient } from '../client-auth/index.js';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from '../errors.js';
import { findGrant } from '../grants/registry.js';

/** The token endpoint's path, relative to the issuer. */
export const TOKEN_PATH = '/token';

/** Registers POST /token. */
export function registerToken(app: FastifyInstance, ctx: AppContext): void {
  app.post(TOKEN_PATH, { onSend: noStore }, async (request, reply) => {
    const params = formParams(request);

    if (!params.grant_type) throw new InvalidRequest('grant_type is required');
    const grant = findGrant(params.grant_type);
    if (!grant) throw new UnsupportedGrantType(undefined, params.grant_type);

    const client = await authenticateClient(request, params, ctx);
    if (!client.grantTypes.includes(grant.grantType)) {
      throw new UnauthorizedClient(`this client may not use grant_type ${grant.grantType}`);
    }

    const body = await grant.handle({ ctx, client, params, request });
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
}
