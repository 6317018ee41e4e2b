/**
 * GET /login (the sign-in form) and POST /login (its submission), reached from /authorize with
 * the pending authorization request in the query (see ../authorize/pending.ts).
 *
 * A failed sign-in answers 200 with the form and one message that says nothing about whether the
 * account exists. Not 401: RFC 9110 §15.5.2 requires a WWW-Authenticate challenge with it, and
 * a form is not an HTTP authentication scheme. A throttled address answers 429 with Retry-After.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { loginPage } from '../../http/pages/login.js';
import { formParams, queryParams } from '../../http/params.js';
import {
  checkCsrf,
  CSRF_COOKIE,
  csrfToken,
  readCookie,
  signInCsrfSecret,
  startSession,
} from '../../http/session.js';
import { checkSignIn } from '../../security/sign-in.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import { continueAuthorization } from '../authorize/continue-authorization.js';
import { defaultPageHeaders, setPageHeaders } from '../authorize/page-headers.js';
import { pendingInputs, resumeAuthorization } from '../authorize/pending.js';
import { authorizationHandler } from '../authorize/respond.js';

/** The one message for every failed sign-in. */
export const SIGN_IN_FAILED = 'Wrong username or password.';

const CSRF_PURPOSE = 'sign-in';

function showForm(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  status: number,
  message?: { username?: string; error?: string },
) {
  const secret = signInCsrfSecret(ctx, request, reply);
  // The form's answer may be a 303 straight to the client: allow it in form-action.
  setPageHeaders(reply, { formTargets: [authorization.target.redirectUri] });
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      loginPage({
        action: `${ctx.config.issuer}/login`,
        clientName: authorization.client.name,
        hiddenFields: pendingInputs(authorization.params),
        csrfToken: csrfToken(secret, CSRF_PURPOSE),
        username: message?.username ?? authorization.loginHint,
        error: message?.error,
      }),
    );
}

/** Registers the sign-in page. */
export function registerLogin(app: FastifyInstance, ctx: AppContext): void {
  const options = { config: { html: true }, onSend: defaultPageHeaders };

  app.get(
    '/login',
    options,
    authorizationHandler(ctx, async (request: FastifyRequest, reply) => {
      const authorization = await resumeAuthorization(ctx, request, queryParams(request));
      return showForm(ctx, request, reply, authorization, 200);
    }),
  );

  app.post(
    '/login',
    options,
    authorizationHandler(ctx, async (request: FastifyRequest, reply) => {
      const form = formParams(request);
      checkCsrf(readCookie(request, CSRF_COOKIE), CSRF_PURPOSE, form.csrf_token);
      const authorization = await resumeAuthorization(ctx, request, form);

      const username = form.username ?? '';
      const result = await checkSignIn(ctx, username, form.password ?? '', request.ip);
      if (!result.ok && result.reason === 'throttled') {
        reply.header('retry-after', String(Math.max(1, result.retryAfter)));
        const error = 'Too many failed sign-ins from your network. Wait and try again later.';
        return showForm(ctx, request, reply, authorization, 429, { username, error });
      }
      if (!result.ok) {
        const error = SIGN_IN_FAILED;
        return showForm(ctx, request, reply, authorization, 200, { username, error });
      }

      const active = await startSession(ctx, request, reply, result.user.id);
      return continueAuthorization(ctx, reply, authorization, active, true);
    }),
  );
}
