/**
 * The authorization request checks, in the order they run. This list is the spec's checklist:
 *
 *   1. client            registered client_id                         → error page
 *   2. redirect URI      exact match (loopback: any port)             → error page
 *   3. response mode     query | form_post                            → to the client
 *   4. request object    none: request and request_uri are refused    → to the client
 *   5. response type     code, and the client may use it              → to the client
 *   6. PKCE              S256 challenge                               → to the client
 *   7. scope             within the client's scopes                   → to the client
 *   8. prompt, max_age   OIDC Core §3.1.2.1 syntax                    → to the client
 *
 * Until 1 and 2 pass, the request cannot be trusted with a redirect (RFC 6749 §4.1.2.1, RFC 9700
 * §4.11), so their errors are thrown as they are and rendered as pages. From 3 on, errors are
 * AuthorizationFailure and go back to the client with `state` and `iss`.
 */
import type { AppContext } from '../../context.js';
import { OAuthError } from '../errors.js';
import type { AuthorizationRequest, ResponseTarget } from './authorization-request.js';
import { checkClient } from './check-client.js';
import { checkPkce } from './check-pkce.js';
import { checkPrompt } from './check-prompt.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkNoRequestObject } from './check-request-object.js';
import { checkResponseMode } from './check-response-mode.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import { AuthorizationFailure } from './respond.js';

/** Runs every check on `params`; answers the validated request or throws (see above). */
export async function checkAuthorizationRequest(
  ctx: AppContext,
  params: Record<string, string>,
): Promise<AuthorizationRequest> {
  const client = await checkClient(ctx, params);
  const redirectUri = checkRedirectUri(client, params);

  const target: ResponseTarget = { redirectUri, responseMode: 'query', state: params.state };
  try {
    target.responseMode = checkResponseMode(params);
    checkNoRequestObject(params);
    checkResponseType(client, params);
    const codeChallenge = checkPkce(params);
    const scope = checkScope(client, params);
    const { prompt, maxAge } = checkPrompt(params);

    return {
      client,
      target,
      scope,
      codeChallenge,
      nonce: params.nonce,
      prompt,
      maxAge,
      loginHint: params.login_hint,
      params,
    };
  } catch (error) {
    if (error instanceof OAuthError) throw new AuthorizationFailure(target, error);
    throw error;
  }
}
