/**
 * How an authorization request waits while the user signs in or consents.
 *
 * Choice: the request's own parameters are re-sent — in the query of the redirect to /login or
 * /consent, then as hidden fields of their forms — and every step runs the whole pipeline again.
 * Nothing is kept in process memory or in the store, so any node (or worker) can continue a flow
 * that another one started. No signature is needed: the parameters carry nothing the browser
 * could not have sent to /authorize itself, and each step re-checks them against the registered
 * client. What the steps prove is held elsewhere: the sign-in in the session, the approval in
 * the stored consent, and the CSRF token (bound to a cookie) that the forms must return.
 *
 * Only the parameters Authly understands are carried, so that none can collide with the forms'
 * own fields (username, password, csrf_token, decision).
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { escapeHtml } from '../../http/pages/layout.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { checkAuthorizationRequest } from './pipeline.js';

const CARRIED = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'login_hint',
] as const;

/** The authorization parameters among `fields` (a query or a submitted form). */
export function pendingParams(fields: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  for (const name of CARRIED) if (fields[name] !== undefined) params[name] = fields[name];
  return params;
}

/** The absolute URL of step `path` (/login, /consent) carrying the pending request. */
export function pendingUrl(ctx: AppContext, path: string, params: Record<string, string>): string {
  // Built on the issuer, so that it also holds behind a proxy that mounts Authly under a path.
  return `${ctx.config.issuer}${path}?${new URLSearchParams(pendingParams(params))}`;
}

/** The pending request as hidden form fields. */
export function pendingInputs(params: Record<string, string>): string {
  return Object.entries(pendingParams(params))
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n');
}

/**
 * Runs the whole pipeline again on the pending request among `fields` (a step's query or form),
 * and names its client for the request log line.
 */
export async function resumeAuthorization(
  ctx: AppContext,
  request: FastifyRequest,
  fields: Record<string, string>,
): Promise<AuthorizationRequest> {
  const authorization = await checkAuthorizationRequest(ctx, pendingParams(fields));
  request.clientId = authorization.client.clientId;
  return authorization;
}
