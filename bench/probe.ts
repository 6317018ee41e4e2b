/**
 * One request before each load, checked for what a client would check: the status, and that the
 * answer is what it should be (a token, an active introspection, a `code` in the redirect). An
 * endpoint that fails its probe is not loaded: a run of errors measures nothing.
 */
import type { EndpointName, RequestShape } from './endpoints.js';

/** The probe's verdict, with the JSON answer when there was one. */
export type ProbeResult =
  | { ok: true; json: Record<string, unknown> | null }
  | { ok: false; problem: string };

/** What a successful answer must hold, per endpoint. */
function checkAnswer(endpoint: EndpointName, json: Record<string, unknown> | null): string | null {
  const has = (field: string, type: string) =>
    typeof json?.[field] === type ? null : `the answer has no ${field}`;

  switch (endpoint) {
    case 'discovery':
      return has('issuer', 'string');
    case 'jwks':
      return Array.isArray(json?.keys) && json.keys.length > 0 ? null : 'the JWKS has no keys';
    case 'authorize':
      return null;
    case 'authorization_code':
      return has('access_token', 'string') ?? has('id_token', 'string');
    case 'refresh_token':
      return has('access_token', 'string') ?? has('refresh_token', 'string');
    case 'client_credentials':
    case 'password':
      return has('access_token', 'string');
    case 'introspection':
      return json?.active === true ? null : 'the token is not active';
    case 'userinfo':
      return has('sub', 'string');
  }
}

/** Sends `shape` once (with `credential` when it takes one) and checks the answer. */
export async function probe(
  endpoint: EndpointName,
  shape: RequestShape,
  credential = '',
): Promise<ProbeResult> {
  const body = typeof shape.body === 'function' ? shape.body(credential) : shape.body;
  let response: Response;
  try {
    response = await fetch(shape.url, {
      method: shape.method,
      headers: shape.headers,
      body,
      redirect: 'manual',
    });
  } catch (error) {
    return { ok: false, problem: `request failed: ${(error as Error).message}` };
  }

  const text = await response.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Redirects and error pages are not JSON.
  }
  if (!shape.expectStatus.includes(response.status)) {
    const error = json?.error ? ` ${json.error}: ${json.error_description ?? ''}` : '';
    return { ok: false, problem: `status ${response.status}${error}`.trim() };
  }
  if (shape.expectLocation) {
    const location = response.headers.get('location') ?? '';
    if (!location.includes(shape.expectLocation)) {
      const error = new URL(location, shape.url).searchParams.get('error');
      return { ok: false, problem: `redirect without ${shape.expectLocation} (error=${error})` };
    }
  }
  const problem = checkAnswer(endpoint, json);
  return problem ? { ok: false, problem } : { ok: true, json };
}
