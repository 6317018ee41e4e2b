/**
 * Security headers of the pages served on the way through an authorization (sign-in, consent,
 * form_post, logout, and their error pages).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What a page may do beyond showing inline-styled HTML. */
export interface PagePolicy {
  /**
   * Where its forms may post, besides this server. Browsers apply `form-action` to the redirect
   * that follows a POST too (CSP Level 3 §6.4.1), so a form whose answer is a 303 to the client
   * must allow the client's redirect URI.
   */
  formTargets?: string[];
  /** Inline scripts allowed by hash (form_post's auto-submit). */
  scripts?: string[];
}

/** The CSP source expression for a redirect URI: its origin, or its scheme for custom schemes. */
export function cspSource(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/** The CSP hash source of an inline script. */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

/**
 * No external assets, no scripts unless hashed, no framing (clickjacking: CSP frame-ancestors,
 * and X-Frame-Options for older browsers), never cached (pages carry CSRF tokens and codes).
 */
export function setPageHeaders(reply: FastifyReply, policy: PagePolicy = {}): void {
  const formAction = ["'self'", ...new Set((policy.formTargets ?? []).map(cspSource))];
  const scripts = (policy.scripts ?? []).map(scriptHash);
  const directives = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    scripts.length > 0 ? `script-src ${scripts.join(' ')}` : null,
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  reply
    .header('content-security-policy', directives.filter((d) => d !== null).join('; '))
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store');
}

/**
 * Route-level onSend hook: responses that did not set their own policy (error pages rendered by
 * the shared error handler, redirects) still get the strict one.
 */
export async function defaultPageHeaders(_request: FastifyRequest, reply: FastifyReply) {
  if (!reply.hasHeader('content-security-policy')) setPageHeaders(reply);
}
