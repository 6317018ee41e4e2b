/**
 * What every grant module exports, and the token response they all answer with (RFC 6749 §5.1).
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Client, GrantType } from '../../store/types.js';

/** RFC 6749 §5.1 successful response; `scope` is always sent, also when unchanged (§3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** A token request after client authentication. */
export interface GrantRequest {
  ctx: AppContext;
  /** The authenticated client; the endpoint has checked that it may use this grant. */
  client: Client;
  /** Single-valued form parameters (duplicates already refused). */
  params: Record<string, string>;
  request: FastifyRequest;
}

/** One grant type: its name, the parameters it reads, and its handler. */
export interface Grant {
  grantType: GrantType;
  /** The parameters this grant reads besides grant_type and client credentials. */
  parameters: readonly string[];
  /** Checks the grant and issues tokens, or throws an OAuthError. */
  handle(grant: GrantRequest): Promise<TokenResponse>;
}
