/**
 * GET and POST /end_session: OpenID Connect RP-Initiated Logout 1.0.
 *
 * - `id_token_hint` must be an ID token this server signed (RS256, any published key); it may
 *   have expired (§2: the OP should accept it). Its `aud` names the client.
 * - `post_logout_redirect_uri` must exactly equal one of the client's registered redirect URIs:
 *   Authly keeps no separate list of logout URIs. A client must be known, from the hint or from
 *   `client_id`; otherwise the URI is refused and an error page shown (never an open redirect).
 * - With a valid hint for the signed-in user (or nobody signed in), the session ends at once.
 *   Otherwise the user is asked first (§2: the OP should confirm), by a form whose CSRF token is
 *   bound to the session cookie.
 * - Then the session row is deleted, the cookie cleared, and the user sent to the validated
 *   redirect URI with `state`, or shown a "signed out" page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { verifyJwt } from '../../crypto/jwt.js';
import { escapeHtml, page } from '../../http/pages/layout.js';
import { formParams, queryParams } from '../../http/params.js';
import { checkCsrf, CSRF_FIELD, csrfToken, endSession, loadSession } from '../../http/session.js';
import { InvalidRequest } from '../errors.js';
import { defaultPageHeaders, setPageHeaders } from '../authorize/page-headers.js';

const CSRF_PURPOSE = 'end-session';
const CARRIED = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id'] as const;

interface Hint {
  subject: string;
  clientId: string;
}

/** The subject and client of an ID token this server signed, or an error page. */
function checkHint(ctx: AppContext, token: string, clientId: string | undefined): Hint {
  const decoded = verifyJwt(token, (kid, alg) =>
    alg === 'RS256' ? ctx.keys.verificationKey(kid, alg) : undefined,
  );
  const claims = decoded?.payload;
  const aud = claims?.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  const named = clientId ?? (typeof claims?.azp === 'string' ? claims.azp : audiences[0]);

  if (
    !claims ||
    claims.iss !== ctx.config.issuer ||
    typeof claims.sub !== 'string' ||
    typeof named !== 'string' ||
    !audiences.includes(named)
  ) {
    throw new InvalidRequest('The sign-out request carries an ID token that is not valid here.');
  }
  return { subject: claims.sub, clientId: named };
}

/** The validated post-logout redirect URI, if one was asked for. */
async function checkRedirect(
  ctx: AppContext,
  params: Record<string, string>,
  clientId: string | undefined,
): Promise<string | undefined> {
  const uri = params.post_logout_redirect_uri;
  if (uri === undefined) return undefined;

  const client = clientId === undefined ? null : await ctx.store.clients.find(clientId);
  if (!client || !client.redirectUris.includes(uri)) {
    throw new InvalidRequest('The address to return to after signing out is not registered.');
  }
  return uri;
}

function confirmPage(ctx: AppContext, params: Record<string, string>, token: string): string {
  const hidden = CARRIED.filter((name) => params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name])}">`)
    .join('\n');
  return page(
    'Sign out',
    `<h1>Sign out?</h1><p>Do you want to sign out of this server?</p>
<form method="post" action="${escapeHtml(`${ctx.config.issuer}/end_session`)}">
${hidden}
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">
<button type="submit" name="confirm" value="yes">Sign out</button>
</form>`,
  );
}

async function handle(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, string>,
) {
  const hint = params.id_token_hint ? checkHint(ctx, params.id_token_hint, params.client_id) : null;
  const clientId = hint?.clientId ?? params.client_id;
  if (clientId) request.clientId = clientId;
  const redirect = await checkRedirect(ctx, params, clientId);
  const active = await loadSession(ctx, request);

  // A form from the confirmation page carries a CSRF token; an RP's request never does.
  const confirmed = params[CSRF_FIELD] !== undefined;
  if (confirmed) checkCsrf(active?.secret, CSRF_PURPOSE, params[CSRF_FIELD]);
  const trusted = hint !== null && (!active || active.session.userId === hint.subject);

  if (active && !confirmed && !trusted) {
    setPageHeaders(reply, { formTargets: redirect ? [redirect] : [] });
    const token = csrfToken(active.secret, CSRF_PURPOSE);
    return reply.type('text/html; charset=utf-8').send(confirmPage(ctx, params, token));
  }

  await endSession(ctx, request, reply);
  if (active) {
    ctx.logger.info({ event: 'session.ended', userId: active.session.userId }, 'signed out');
  }
  if (redirect) {
    const location = new URL(redirect);
    if (params.state !== undefined) location.searchParams.append('state', params.state);
    return reply.redirect(location.href, 303);
  }
  setPageHeaders(reply);
  return reply
    .type('text/html; charset=utf-8')
    .send(page('Signed out', '<h1>Signed out</h1><p>You are now signed out.</p>'));
}

/** Registers the end-session endpoint. */
export function registerEndSession(app: FastifyInstance, ctx: AppContext): void {
  const options = { config: { html: true }, onSend: defaultPageHeaders };
  app.get('/end_session', options, (request, reply) =>
    handle(ctx, request, reply, queryParams(request)),
  );
  app.post('/end_session', options, (request, reply) =>
    handle(ctx, request, reply, formParams(request)),
  );
}
