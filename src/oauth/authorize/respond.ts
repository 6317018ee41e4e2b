/**
 * Sending an authorization response or error back to the client (RFC 6749 §4.1.2, §4.1.2.1),
 * always with `iss` (RFC 9207 §2) and the request's `state`, by redirect (query) or by an
 * auto-submitted form (form_post).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { escapeHtml, page } from '../../http/pages/layout.js';
import { OAuthError } from '../errors.js';
import type { ResponseTarget } from './authorization-request.js';
import { setPageHeaders } from './page-headers.js';

/**
 * An error to be sent to the client's validated redirect URI rather than shown as a page. Thrown
 * only once the client and redirect URI have passed their checks.
 */
export class AuthorizationFailure extends Error {
  constructor(
    readonly target: ResponseTarget,
    readonly oauth: OAuthError,
  ) {
    super(oauth.message);
  }
}

/** The OAuth 2.0 Form Post Response Mode script; allowed by hash in the page's CSP. */
export const AUTO_SUBMIT = 'document.forms[0].submit();';

function formPostPage(target: ResponseTarget, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  return page(
    'Returning to the application',
    `<form method="post" action="${escapeHtml(target.redirectUri)}">${inputs}` +
      '<p>Returning you to the application…</p>' +
      '<noscript><button type="submit">Continue</button></noscript></form>' +
      `<script>${AUTO_SUBMIT}</script>`,
  );
}

/** Sends `fields` plus `state` and `iss` to the client as `target` asks. */
export function respond(
  ctx: AppContext,
  reply: FastifyReply,
  target: ResponseTarget,
  fields: Record<string, string>,
) {
  const all: Record<string, string> = { ...fields };
  if (target.state !== undefined) all.state = target.state;
  all.iss = ctx.config.issuer;

  if (target.responseMode === 'form_post') {
    setPageHeaders(reply, { formTargets: [target.redirectUri], scripts: [AUTO_SUBMIT] });
    return reply.code(200).type('text/html; charset=utf-8').send(formPostPage(target, all));
  }

  // RFC 6749 §3.1.2: a query component of the redirect URI is kept and added to.
  const location = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(all)) location.searchParams.append(name, value);
  // 303 so that a POST (the sign-in and consent forms, POST /authorize) becomes a GET.
  return reply.header('cache-control', 'no-store').redirect(location.href, 303);
}

/** Sends an error response (RFC 6749 §4.1.2.1) to the client. */
export function respondError(ctx: AppContext, reply: FastifyReply, failure: AuthorizationFailure) {
  const { oauth } = failure;
  reply.errorCode = oauth.error;
  reply.log.debug({ error: oauth.error, detail: oauth.detail }, 'authorization error');
  return respond(ctx, reply, failure.target, oauth.toJSON());
}

/**
 * Wraps a route handler of the authorization flow: AuthorizationFailure goes back to the client;
 * every other error reaches the shared error handler, which renders a page.
 */
export function authorizationHandler<R extends FastifyRequest>(
  ctx: AppContext,
  handle: (request: R, reply: FastifyReply) => Promise<unknown>,
) {
  return async (request: R, reply: FastifyReply) => {
    try {
      return await handle(request, reply);
    } catch (error) {
      if (error instanceof AuthorizationFailure) return respondError(ctx, reply, error);
      throw error;
    }
  };
}
