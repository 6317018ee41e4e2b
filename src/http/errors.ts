import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequest, OAuthError, ServerError } from '../oauth/errors.js';
import { errorPage } from './pages/layout.js';

/** Fastify's own client errors, answered as OAuth errors with their HTTP status. */
function fromFastify(error: FastifyError): OAuthError | null {
  const status = error.statusCode ?? 500;
  if (status >= 500 || status < 400) return null;

  let description = 'malformed request';
  if (status === 413) description = 'the request body is too large';
  else if (status === 415) description = 'unsupported content type';
  else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') description = 'empty JSON body';
  else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    description = 'the body is not valid JSON';
  }
  const mapped = new InvalidRequest(description, error.message);
  return Object.assign(mapped, { status });
}

/** Normalises anything thrown by a handler into an OAuthError; unknown errors become 500. */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const mapped = fromFastify(error as FastifyError);
  return mapped ?? new ServerError((error as Error)?.message);
}

/**
 * The one error handler: OAuth error JSON (RFC 6749 §5.2), or an HTML page on routes marked
 * `config: { html: true }`. 5xx are logged with their cause; the client sees a generic message.
 */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const oauth = toOAuthError(error);
  if (oauth.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ error: oauth.error, detail: oauth.detail }, 'client error');
  reply.errorCode = oauth.error;

  reply.code(oauth.status).headers(oauth.headers).header('cache-control', 'no-store');
  if ((request.routeOptions.config as { html?: boolean } | undefined)?.html) {
    const title = oauth.status >= 500 ? 'Something went wrong' : 'This request cannot be completed';
    return reply.type('text/html; charset=utf-8').send(errorPage(title, oauth.description));
  }
  return reply.send(oauth.toJSON());
}
