/**
 * The login session and CSRF protection of the sign-in, consent and logout pages.
 *
 * - The session cookie `authly_session` holds 256 random bits; the store keeps only its SHA-256,
 *   so a database leak yields no usable session. A new id is issued on every sign-in (no session
 *   fixation). The cookie is HttpOnly, SameSite=Lax (it must ride along the top-level redirect
 *   from the client to /authorize, which Strict would drop), Path=/, and Secure when the issuer
 *   is https.
 * - CSRF tokens are HMAC-SHA256(secret, purpose), where the secret is a value only this browser
 *   and the server know: the session cookie for forms shown to a signed-in user (consent,
 *   logout), and a separate random `authly_csrf` cookie for the sign-in form, which is shown
 *   before any session exists (double submit). No server-side key is needed, so any node can
 *   check a token that another node issued.
 */
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { constantTimeEqual, sha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import { OAuthError } from '../oauth/errors.js';
import type { LoginSession } from '../store/types.js';

/** The login session cookie. */
export const SESSION_COOKIE = 'authly_session';
/** The pre-session cookie that the sign-in form's CSRF token is derived from. */
export const CSRF_COOKIE = 'authly_csrf';
/** The form field carrying the CSRF token. */
export const CSRF_FIELD = 'csrf_token';

/** A random cookie value as randomToken() makes it; anything else is ignored unread. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A live session together with the cookie value it was found by. */
export interface ActiveSession {
  session: LoginSession;
  /** The cookie value: secret, used only to derive CSRF tokens. */
  secret: string;
}

/** A form that was not sent from our own page: 403 with an error page, never a redirect. */
export class CsrfRejected extends OAuthError {
  constructor(detail?: string) {
    super(
      'invalid_request',
      403,
      'This form has expired or did not come from this site. Go back, reload and try again.',
      detail,
    );
  }
}

/** The value of cookie `name`, when it has the shape of a token this server issued. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;

  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return TOKEN_SHAPE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function setCookie(
  ctx: AppContext,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAge: number,
) {
  const secure = ctx.config.issuer.startsWith('https:') ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
  );
}

/** The live session named by the request's cookie, or null. */
export async function loadSession(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<ActiveSession | null> {
  const secret = readCookie(request, SESSION_COOKIE);
  if (!secret) return null;
  const session = await ctx.store.sessions.find(sha256(secret), ctx.clock());
  return session ? { session, secret } : null;
}

/** Signs `userId` in: ends any previous session of this browser and sets a new cookie. */
export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
): Promise<ActiveSession> {
  const previous = readCookie(request, SESSION_COOKIE);
  if (previous) await ctx.store.sessions.delete(sha256(previous));

  const secret = randomToken();
  const now = ctx.clock();
  const session: LoginSession = {
    idHash: sha256(secret),
    userId,
    authTime: now,
    expiresAt: new Date(now.getTime() + ctx.config.sessionTtl * 1000),
  };
  await ctx.store.sessions.create(session);
  setCookie(ctx, reply, SESSION_COOKIE, secret, ctx.config.sessionTtl);
  return { session, secret };
}

/** Signs the browser out: deletes the session (if any) and clears the cookie. */
export async function endSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const secret = readCookie(request, SESSION_COOKIE);
  if (secret) await ctx.store.sessions.delete(sha256(secret));
  setCookie(ctx, reply, SESSION_COOKIE, '', 0);
}

/** The CSRF token for a form of `purpose`, bound to `secret`. */
export function csrfToken(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`authly-csrf:${purpose}`).digest('base64url');
}

/** Throws CsrfRejected unless `given` is the token for `purpose` under `secret`. */
export function checkCsrf(secret: string | undefined, purpose: string, given: string | undefined) {
  if (!secret) throw new CsrfRejected('no cookie to bind the CSRF token to');
  if (!given || !constantTimeEqual(given, csrfToken(secret, purpose))) {
    throw new CsrfRejected('CSRF token mismatch');
  }
}

/** The secret behind the sign-in form's CSRF token; sets the cookie when the browser has none. */
export function signInCsrfSecret(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): string {
  const existing = readCookie(request, CSRF_COOKIE);
  if (existing) return existing;
  const secret = randomToken();
  // As long as a session: a form left open for a while still submits.
  setCookie(ctx, reply, CSRF_COOKIE, secret, ctx.config.sessionTtl);
  return secret;
}
