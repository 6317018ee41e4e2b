/**
 * GET /consent (the page) and POST /consent (the decision). Consent is remembered per user and
 * client as the union of the scopes granted (store.consents.grant), so a later request for the
 * same scopes or fewer skips the page unless it says prompt=consent.
 *
 * The page needs a session but does not re-check prompt=login or max_age: /authorize and the
 * sign-in step enforced them before sending the user here, and the ID token's auth_time still
 * tells the client when the user signed in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { consentPage } from '../../http/pages/consent.js';
import { formParams, queryParams } from '../../http/params.js';
import { checkCsrf, csrfToken, loadSession } from '../../http/session.js';
import { AccessDenied, InvalidRequest } from '../errors.js';
import { issueCode } from '../authorize/issue-code.js';
import { defaultPageHeaders, setPageHeaders } from '../authorize/page-headers.js';
import { pendingInputs, pendingUrl, resumeAuthorization } from '../authorize/pending.js';
import { AuthorizationFailure, authorizationHandler } from '../authorize/respond.js';

const CSRF_PURPOSE = 'consent';

/** The scopes in plain words, from the scope registry; a scope without text shows its name. */
async function describeScopes(ctx: AppContext, names: string[]) {
  const known = new Map((await ctx.store.scopes.list()).map((s) => [s.name, s.description]));
  return names.map((name) => ({ name, description: known.get(name) ?? name }));
}

/** Registers the consent page. */
export function registerConsent(app: FastifyInstance, ctx: AppContext): void {
  const options = { config: { html: true }, onSend: defaultPageHeaders };

  app.get(
    '/consent',
    options,
    authorizationHandler(ctx, async (request: FastifyRequest, reply) => {
      const authorization = await resumeAuthorization(ctx, request, queryParams(request));
      const active = await loadSession(ctx, request);
      if (!active) return reply.redirect(pendingUrl(ctx, '/login', authorization.params), 303);

      const user = await ctx.store.users.findById(active.session.userId);
      // The answer to either button is a 303 to the client: allow it in form-action.
      setPageHeaders(reply, { formTargets: [authorization.target.redirectUri] });
      return reply.type('text/html; charset=utf-8').send(
        consentPage({
          action: `${ctx.config.issuer}/consent`,
          clientName: authorization.client.name,
          userName: user?.name ?? user?.username ?? '',
          scopes: await describeScopes(ctx, authorization.scope),
          hiddenFields: pendingInputs(authorization.params),
          csrfToken: csrfToken(active.secret, CSRF_PURPOSE),
        }),
      );
    }),
  );

  app.post(
    '/consent',
    options,
    authorizationHandler(ctx, async (request: FastifyRequest, reply) => {
      const form = formParams(request);
      // The token is bound to the session cookie: no session, or another one, is a 403.
      const active = await loadSession(ctx, request);
      checkCsrf(active?.secret, CSRF_PURPOSE, form.csrf_token);
      const authorization = await resumeAuthorization(ctx, request, form);

      if (form.decision === 'deny') {
        throw new AuthorizationFailure(authorization.target, new AccessDenied());
      }
      if (form.decision !== 'approve') throw new InvalidRequest('decision must be approve or deny');

      const { session } = active!;
      await ctx.store.consents.grant(
        session.userId,
        authorization.client.clientId,
        authorization.scope,
        ctx.clock(),
      );
      const event = { event: 'consent.granted', userId: session.userId };
      ctx.logger.info({ ...event, clientId: authorization.client.clientId }, 'consent granted');
      return issueCode(ctx, reply, authorization, session);
    }),
  );
}
