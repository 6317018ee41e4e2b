/**
 * The public documents (discovery metadata, JWKS) answered straight from node:http, before
 * Fastify sees the request. They are the most requested URLs of an authorization server, fixed
 * bytes that change only with the configuration or a key rotation, and need none of what the
 * framework adds (parsing, hooks, error handling): going around it makes them about as cheap as a
 * bare node:http server (see the benchmark). Anything other than a plain GET or HEAD of the exact
 * path, such as a query string or another method, falls through to Fastify's routes.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { RequestLog } from './request-log.js';

/** A document served from memory. */
export interface StaticDocument {
  path: string;
  contentType: string;
  cacheControl: string;
  /** The current bytes; called per request, so it must be cheap (a cached string). */
  body: () => string;
}

interface Prepared {
  source: string;
  body: Buffer;
  etag: string;
  /** The response headers, made once per version of the document rather than per request. */
  ok: Record<string, string | number>;
  notModified: Record<string, string | number>;
}

/** Headers every response of Authly carries (see the onSend hook in server.ts). */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * A request listener that answers the documents and returns true, or returns false and leaves
 * the request alone. Conditional requests (If-None-Match) get 304 against a strong ETag.
 */
export function staticDocuments(documents: StaticDocument[], log: RequestLog) {
  const byPath = new Map(documents.map((doc) => [doc.path, doc]));
  const prepared = new Map<string, Prepared>();

  function current(doc: StaticDocument): Prepared {
    const source = doc.body();
    const cached = prepared.get(doc.path);
    if (cached && cached.source === source) return cached;
    const body = Buffer.from(source);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const notModified = {
      'content-type': doc.contentType,
      'cache-control': doc.cacheControl,
      etag,
      'access-control-allow-origin': '*',
      ...COMMON_HEADERS,
    };
    const ok = { ...notModified, 'content-length': body.length };
    const fresh = { source, body, etag, ok, notModified };
    prepared.set(doc.path, fresh);
    return fresh;
  }

  return function answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const doc = byPath.get(req.url ?? '');
    if (!doc) return false;

    const started = performance.now();
    const version = current(doc);
    const notModified = req.headers['if-none-match'] === version.etag;
    const status = notModified ? 304 : 200;
    res.writeHead(status, notModified ? version.notModified : version.ok);
    if (notModified || req.method === 'HEAD') res.end();
    else res.end(version.body);
    log.write({ method: req.method, endpoint: doc.path, status, ms: performance.now() - started });
    return true;
  };
}

/**
 * The Fastify route for a document, serving the same bytes and headers for what falls through the
 * fast path (a query string, a trailing slash).
 */
export function registerStaticRoute(app: FastifyInstance, document: StaticDocument): void {
  app.get(document.path, (_request, reply) => {
    reply
      .header('content-type', document.contentType)
      .header('cache-control', document.cacheControl)
      .header('access-control-allow-origin', '*')
      .send(document.body());
  });
}
