import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '../oauth/errors.js';

/** A parsed form or query: a name given more than once keeps every value. */
export type RawParams = Record<string, string | string[]>;

/** Parses an application/x-www-form-urlencoded body, keeping repeated names as arrays. */
export function parseForm(body: string): RawParams {
  const params: RawParams = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    if (seen === undefined) params[name] = value;
    else params[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
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
      if (present.length > 1) throw new InvalidRequest(`parameter ${name} was given more than once`);
      if (present.length === 1) params[name] = present[0];
    } else if (typeof value === 'string' && value !== '') {
      params[name] = value;
    }
  }
  return params;
}

/** The form body of a POST, refusing any other content type. */
export function formParams(request: FastifyRequest): Record<string, string> {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new InvalidRequest('the body must be application/x-www-form-urlencoded');
  }
  return singleParams(request.body as RawParams);
}

/** The query string of a GET. */
export function queryParams(request: FastifyRequest): Record<string, string> {
  return singleParams(request.query as RawParams);
}
