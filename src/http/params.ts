/**
 * Request parameters: strict application/x-www-form-urlencoded parsing of bodies and query
 * strings, and the single-value rule of RFC 6749 §3.1. Anything malformed is the client's mistake
 * and answers 400 invalid_request, never a 500 and never a silently altered value.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '../oauth/errors.js';

/** A parsed form or query: a name given more than once keeps every value. */
export type RawParams = Record<string, string | string[]>;

/** The form media type (RFC 6749 Appendix B); any other body is refused at form endpoints. */
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Refuses bytes that are not UTF-8 instead of turning them into U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One name or value: `+` stands for a space, then percent-decoding. decodeURIComponent throws on
 * a stray `%` or on escapes that are not UTF-8 (RFC 6749 Appendix B requires UTF-8), which the
 * lenient URLSearchParams would pass through or replace without a word.
 */
function decodeComponent(text: string, where: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest(`the ${where} is not valid form-urlencoded UTF-8`);
  }
}

/**
 * Parses form-urlencoded text (a body or a query string), keeping repeated names as arrays.
 * Throws InvalidRequest for bad percent-encoding or percent-encoded bytes that are not UTF-8.
 */
export function parseForm(text: string, where = 'body'): RawParams {
  const params: RawParams = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeComponent(equals < 0 ? pair : pair.slice(0, equals), where);
    const value = equals < 0 ? '' : decodeComponent(pair.slice(equals + 1), where);

    const seen = params[name];
    if (seen === undefined) params[name] = value;
    else params[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/**
 * The Fastify body parser for form bodies: the raw bytes must be UTF-8 before they are parsed,
 * so that a body in another encoding is refused rather than read as something else.
 */
export function parseFormBody(
  _request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, params?: RawParams) => void,
): void {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    done(new InvalidRequest('the body is not UTF-8'));
    return;
  }
  try {
    done(null, parseForm(text));
  } catch (error) {
    done(error as Error);
  }
}

/**
 * Single-valued OAuth parameters. RFC 6749 §3.1: parameters sent without a value are treated as
 * omitted, and request and response parameters must not be included more than once.
 */
export function singleParams(raw: RawParams | undefined | null): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  if (!raw) return params;

  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      const present = value.filter((v) => v !== '');
      if (present.length > 1) {
        throw new InvalidRequest(`parameter ${name} was given more than once`);
      }
      if (present.length === 1) params[name] = present[0];
    } else if (typeof value === 'string' && value !== '') {
      params[name] = value;
    }
  }
  return params;
}

/** Whether the request's body is a form, by media type (parameters such as charset aside). */
export function hasFormBody(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.split(';')[0].trim().toLowerCase() === FORM_TYPE;
}

/**
 * The form body of a POST. Any other content type (or none) is refused with 400 invalid_request,
 * the status RFC 6749 §5.2 gives that code; the error handler answers unknown media types alike.
 */
export function formParams(request: FastifyRequest): Record<string, string> {
  if (!hasFormBody(request)) throw new InvalidRequest(`the body must be ${FORM_TYPE}`);
  return singleParams(request.body as RawParams);
}

/**
 * The query string of a request, parsed as strictly as a form body (Fastify's own parser keeps
 * malformed escapes as they are).
 */
export function queryParams(request: FastifyRequest): Record<string, string> {
  const question = request.url.indexOf('?');
  if (question < 0) return Object.create(null);
  return singleParams(parseForm(request.url.slice(question + 1), 'query string'));
}
