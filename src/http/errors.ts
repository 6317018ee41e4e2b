/**
 * Error rendering for the whole HTTP layer: every failure, including those Fastify and Node raise
 * before a handler runs (body too large, unknown media type, malformed JSON, oversized headers,
 * unknown route or method), is answered as an OAuth error (RFC 6749 §5.2 JSON) or, on routes
 * marked `config: { html: true }`, as an HTML page. Client mistakes are 4xx; only the server's own
 * failures are 500, with a generic message and the cause in the log.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequest, OAuthError, ServerError } from '../oauth/errors.js';
import { errorPage } from './pages/layout.js';
import { FORM_TYPE } from './params.js';

/** Methods a route may be registered for, in the order the Allow header lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Fastify's own client errors, answered as OAuth errors. */
function fromFastify(error: FastifyError): OAuthError | null {
  const status = error.statusCode ?? 500;
  if (status >= 500 || status < 400) return null;

  if (status === 413) {
    return Object.assign(new InvalidRequest('the request body is too large'), { status });
  }
  // An unknown media type answers 400 like formParams does for a known but wrong one, so that the
  // answer does not depend on which body parsers happen to be installed.
  if (status === 415) return new InvalidRequest(`the body must be ${FORM_TYPE}`, error.message);

  let description = 'malformed request';
  if (error.code === 'FST_ERR_BAD_URL') description = 'the URL is not validly percent-encoded';
  else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') description = 'empty JSON body';
  else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    description = 'the body is not valid JSON';
  }
  return Object.assign(new InvalidRequest(description, error.message), { status });
}

/** Normalises anything thrown by a handler into an OAuthError; unknown errors become 500. */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const mapped = error instanceof Error ? fromFastify(error as FastifyError) : null;
  return mapped ?? new ServerError(error instanceof Error ? error.message : String(error));
}

/** Sends `oauth` as JSON, or as an HTML page when `html`; never cached (RFC 6749 §5.1). */
function sendError(oauth: OAuthError, reply: FastifyReply, html: boolean): FastifyReply {
  reply.errorCode = oauth.error;
  reply.code(oauth.status).headers(oauth.headers).header('cache-control', 'no-store');
  if (html) {
    const title = oauth.status >= 500 ? 'Something went wrong' : 'This request cannot be completed';
    return reply.type('text/html; charset=utf-8').send(errorPage(title, oauth.description));
  }
  return reply.type('application/json; charset=utf-8').send(oauth.toJSON());
}

function isHtmlRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { html?: boolean } | undefined)?.html === true;
}

/**
 * The one error handler: OAuth error JSON (RFC 6749 §5.2), or an HTML page on routes marked
 * `config: { html: true }`. 5xx are logged with their cause; the client sees a generic message.
 */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const oauth = toOAuthError(error);
  if (oauth.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ error: oauth.error, detail: oauth.detail }, 'client error');
  return sendError(oauth, reply, isHtmlRoute(request));
}

/** The path of a request without its query, with no trailing slash (routes ignore it). */
function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Answers requests no route takes: 405 with `Allow` (RFC 9110 §15.5.6) when the path exists for
 * other methods, otherwise 404. Must be called before the routes are registered, so that it sees
 * which paths are HTML pages and can answer those with a page too.
 */
export function registerFallbacks(app: FastifyInstance): void {
  const htmlPaths = new Set<string>();
  app.addHook('onRoute', (route) => {
    if ((route.config as { html?: boolean } | undefined)?.html) htmlPaths.add(route.url);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send({ error: 'not_found', error_description: 'no such endpoint' });
    }

    const error = new OAuthError('invalid_request', 405, `use ${allowed.join(' or ')}`);
    error.headers.allow = allowed.join(', ');
    return sendError(error, reply, htmlPaths.has(path));
  });
}

/** Answers for connection-level errors, which Node raises before any request exists. */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'the request headers are too big'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request took too long to arrive'],
};

/**
 * Fastify's `clientErrorHandler`: a request Node could not parse (oversized headers, a malformed
 * request line or chunk) still gets an OAuth error body rather than Fastify's own shape.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;

  const [status, reason, description] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'malformed HTTP request',
  ];
  const body = JSON.stringify({ error: 'invalid_request', error_description: description });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
