import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import type { ActiveSession } from '../../http/session.js';
import type { LoginSession } from '../../store/types.js';
import { ConsentRequired, LoginRequired } from '../errors.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { issueCode } from './issue-code.js';
import { pendingUrl } from './pending.js';
import { AuthorizationFailure } from './respond.js';

/**
 * OIDC Core §3.1.2.1: `prompt=login` asks for a new sign-in; `max_age` limits how long ago the
 * user may have signed in (whole seconds elapsed, compared with "greater than"). `max_age=0` is
 * prompt=login (the OpenID Connect working group's reading of Core, openid/connect
 * issue 993), not "within the same second".
 */
function needsSignIn(request: AuthorizationRequest, session: LoginSession, now: Date): boolean {
  if (request.prompt.has('login') || request.maxAge === 0) return true;
  if (request.maxAge === undefined) return false;
  return Math.floor((now.getTime() - session.authTime.getTime()) / 1000) > request.maxAge;
}

/** Whether the user already granted this client every requested scope (or more). */
async function hasConsent(ctx: AppContext, request: AuthorizationRequest, userId: string) {
  const consent = await ctx.store.consents.find(userId, request.client.clientId);
  return consent !== null && request.scope.every((s) => consent.scope.includes(s));
}

/**
 * The step after a request is validated: sign the user in (or re-authenticate), ask for consent,
 * then issue the code. `signedInNow` is set right after a successful sign-in, which satisfies
 * `prompt=login` and `max_age` for this request. With `prompt=none` nothing may be shown, so a
 * missing sign-in or consent is an error sent to the client (Core §3.1.2.6).
 */
export async function continueAuthorization(
  ctx: AppContext,
  reply: FastifyReply,
  request: AuthorizationRequest,
  active: ActiveSession | null,
  signedInNow = false,
) {
  if (!active || (!signedInNow && needsSignIn(request, active.session, ctx.clock()))) {
    if (request.prompt.has('none')) {
      throw new AuthorizationFailure(request.target, new LoginRequired());
    }
    return reply.redirect(pendingUrl(ctx, '/login', request.params), 303);
  }

  const { session } = active;
  if (request.prompt.has('consent') || !(await hasConsent(ctx, request, session.userId))) {
    if (request.prompt.has('none')) {
      throw new AuthorizationFailure(request.target, new ConsentRequired());
    }
    return reply.redirect(pendingUrl(ctx, '/consent', request.params), 303);
  }

  return issueCode(ctx, reply, request, session);
}
