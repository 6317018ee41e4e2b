import type { Client } from '../../store/types.js';
import { InvalidRequest, UnauthorizedClient, UnsupportedResponseType } from '../errors.js';

/**
 * OAuth 2.1 §4.1.1: `code` is the only response type; the implicit and hybrid flows (tokens in
 * the front channel) are gone. The client must be allowed the authorization_code grant.
 */
export function checkResponseType(client: Client, params: Record<string, string>): void {
  const responseType = params.response_type;
  if (responseType === undefined) throw new InvalidRequest('response_type is missing');
  if (responseType !== 'code') throw new UnsupportedResponseType();

  if (!client.grantTypes.includes('authorization_code')) {
    throw new UnauthorizedClient('the client may not use the authorization code flow');
  }
}
