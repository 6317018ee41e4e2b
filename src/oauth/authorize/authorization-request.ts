/**
 * The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1) once
 * every check of ./pipeline.ts has passed.
 */
import type { Client } from '../../store/types.js';

/** How the response travels back (OAuth 2.0 Multiple Response Types §2.1, Form Post §2). */
export type ResponseMode = 'query' | 'form_post';

/** OpenID Connect Core §3.1.2.1 prompt values that Authly honours. */
export type PromptValue = 'none' | 'login' | 'consent';

/** Where and how an authorization response or error is sent. */
export interface ResponseTarget {
  /** The validated redirect URI, as the client sent it (or its only registered one). */
  redirectUri: string;
  responseMode: ResponseMode;
  /** Echoed untouched (RFC 6749 §4.1.2). */
  state: string | undefined;
}

export interface AuthorizationRequest {
  client: Client;
  target: ResponseTarget;
  /** Granted scope names, in the order requested. */
  scope: string[];
  /** RFC 7636 S256 challenge (the only method accepted). */
  codeChallenge: string;
  nonce: string | undefined;
  prompt: Set<PromptValue>;
  /** Seconds; undefined when the request carried no max_age. */
  maxAge: number | undefined;
  /** OIDC Core §3.1.2.1: pre-fills the username field. */
  loginHint: string | undefined;
  /**
   * The request's own parameters, re-sent by the sign-in and consent pages so that any node can
   * carry on (see ./pending.ts).
   */
  params: Record<string, string>;
}
