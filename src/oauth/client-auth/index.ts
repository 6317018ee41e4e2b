/**
 * Client authentication at the token, revocation and introspection endpoints:
 * client_secret_basic, client_secret_post, and none for public clients (PKCE then carries the
 * proof). A client must use exactly the method it registered, and only one method per request.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { constantTimeEqual, sha256 } from '../../crypto/hash.js';
import type { Client } from '../../store/types.js';
import { InvalidClient, InvalidRequest } from '../errors.js';
import { readBasic, type PresentedCredentials } from './basic.js';
import { loadClient } from './client-cache.js';

/** Which credentials the request carries; refuses two methods at once (RFC 6749 §2.3). */
export function presentedCredentials(
  request: FastifyRequest,
  params: Record<string, string>,
): PresentedCredentials {
  const basic = readBasic(request.headers.authorization);
  if (basic) {
    if (params.client_secret !== undefined) {
      throw new InvalidRequest('use one client authentication method, not two');
    }
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      throw new InvalidClient('client_id in the body differs from the Basic credentials', true);
    }
    return basic;
  }
  if (!params.client_id) throw new InvalidClient('no client authentication');
  if (params.client_secret !== undefined) {
    const clientSecret = params.client_secret;
    return { clientId: params.client_id, clientSecret, method: 'client_secret_post' };
  }
  return { clientId: params.client_id, clientSecret: null, method: 'none' };
}

/**
 * Authenticates the calling client; throws InvalidClient (401, with WWW-Authenticate when the
 * Authorization header was used) for an unknown client, a wrong secret or the wrong method.
 */
export async function authenticateClient(
  request: FastifyRequest,
  params: Record<string, string>,
  ctx: AppContext,
): Promise<Client> {
  const presented = presentedCredentials(request, params);
  const viaHeader = presented.method === 'client_secret_basic';
  const client = await loadClient(ctx.store, presented.clientId);

  if (!client) {
    // Spend a hash so that unknown and known clients cost the same.
    sha256(presented.clientSecret ?? '');
    throw new InvalidClient(`unknown client ${presented.clientId}`, viaHeader);
  }
  request.clientId = client.clientId;
  if (client.authMethod !== presented.method) {
    throw new InvalidClient(
      `client registered ${client.authMethod} but used ${presented.method}`,
      viaHeader,
    );
  }
  if (presented.method !== 'none') {
    const hash = sha256(presented.clientSecret ?? '');
    if (!client.secretHash || !constantTimeEqual(hash, client.secretHash)) {
      throw new InvalidClient('wrong client secret', viaHeader);
    }
  }
  return client;
}
