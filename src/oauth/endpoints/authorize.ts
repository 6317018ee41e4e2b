/**
 * GET and POST /authorize (RFC 6749 §4.1.1, OAuth 2.1 §4.1.1, OpenID Connect Core §3.1.2).
 * The checks run in the order listed in ../authorize/pipeline.ts; then the user is signed in and
 * asked for consent as needed (../authorize/continue-authorization.ts), and the code is issued.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { formParams, queryParams } from '../../http/params.js';
import { loadSession } from '../../http/session.js';
import { continueAuthorization } from '../authorize/continue-authorization.js';
import { defaultPageHeaders } from '../authorize/page-headers.js';
import { checkAuthorizationRequest } from '../authorize/pipeline.js';
import { authorizationHandler } from '../authorize/respond.js';

/** Registers the authorization endpoint. */
export function registerAuthorize(app: FastifyInstance, ctx: AppContext): void {
  const handle = (read: (request: FastifyRequest) => Record<string, string>) =>
    authorizationHandler(ctx, async (request: FastifyRequest, reply) => {
      // Duplicated parameters throw invalid_request here, before anything is trusted: a page.
      const authorization = await checkAuthorizationRequest(ctx, read(request));
      request.clientId = authorization.client.clientId;
      const active = await loadSession(ctx, request);
      return continueAuthorization(ctx, reply, authorization, active);
    });

  // OIDC Core §3.1.2.1: the endpoint must accept GET and form-encoded POST alike.
  const options = { config: { html: true }, onSend: defaultPageHeaders };
  app.get('/authorize', options, handle(queryParams));
  app.post('/authorize', options, handle(formParams));
}
