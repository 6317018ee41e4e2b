/**
 * The endpoints the benchmark loads, and the request each one gets on each server: Authly, bare
 * node:http (discovery and JWKS bytes only) and oidc-provider (the endpoints it shares).
 */
import { BENCH_CLIENT, BENCH_SCOPE, BENCH_USER, CODE_CHALLENGE, CODE_VERIFIER, basicAuth }
  from './seed/constants.js';

/** Every endpoint, in the order they are measured. */
export const ENDPOINT_NAMES = [
  'discovery',
  'jwks',
  'authorize',
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
  'introspection',
  'userinfo',
] as const;

export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** The servers a run measures. */
export type Target = 'authly' | 'bare' | 'oidc-provider';

/** A single-use credential that each request spends. */
export type Credential = 'code' | 'refresh_token';

/** An endpoint as the tables name it, and which baselines serve it. */
export interface Endpoint {
  name: EndpointName;
  label: string;
  baselines: Target[];
  credential?: Credential;
}

/** The endpoints, with the labels of the performance tables users know. */
export const ENDPOINTS: Record<EndpointName, Endpoint> = {
  discovery: {
    name: 'discovery',
    label: '`GET` authorization server metadata',
    baselines: ['bare', 'oidc-provider'],
  },
  jwks: { name: 'jwks', label: '`GET` JWKS', baselines: ['bare', 'oidc-provider'] },
  authorize: {
    name: 'authorize',
    label: '`GET` authorize (signed in, consent remembered: redirect)',
    baselines: [],
  },
  authorization_code: {
    name: 'authorization_code',
    label: '`POST` token, authorization_code + PKCE',
    baselines: ['oidc-provider'],
    credential: 'code',
  },
  refresh_token: {
    name: 'refresh_token',
    label: '`POST` token, refresh_token',
    baselines: [],
    credential: 'refresh_token',
  },
  client_credentials: {
    name: 'client_credentials',
    label: '`POST` token, client_credentials',
    baselines: ['oidc-provider'],
  },
  password: { name: 'password', label: '`POST` token, password grant', baselines: [] },
  introspection: {
    name: 'introspection',
    label: '`POST` introspection',
    baselines: ['oidc-provider'],
  },
  userinfo: { name: 'userinfo', label: '`GET` userinfo', baselines: [] },
};

/** What a server's requests need that is known only once it runs. */
export interface TargetContext {
  url: string;
  /** A user's access token (Authly) or a client's (oidc-provider), for introspection/userinfo. */
  accessToken?: string;
  /** Authly's `authly_session` cookie value. */
  sessionCookie?: string;
}

/** The request for one endpoint on one server. */
export interface RequestShape {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The body, or for single-use credentials the body built around one. */
  body?: string | ((credential: string) => string);
  /** The statuses that count as success. */
  expectStatus: number[];
  expectLocation?: string;
}

const FORM = 'application/x-www-form-urlencoded';
const confidential = basicAuth(
  BENCH_CLIENT.confidential.clientId,
  BENCH_CLIENT.confidential.secret,
);

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function tokenRequest(
  url: string,
  authorization: string,
  body: RequestShape['body'],
): RequestShape {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': FORM, authorization },
    body,
    expectStatus: [200],
  };
}

const codeExchange = (code: string) =>
  form({
    grant_type: 'authorization_code',
    code,
    redirect_uri: BENCH_CLIENT.redirectUri,
    code_verifier: CODE_VERIFIER,
  });

/** The request for `endpoint` on Authly. */
function authlyRequest(endpoint: EndpointName, ctx: TargetContext): RequestShape {
  const get = (path: string, headers: Record<string, string> = {}): RequestShape => ({
    url: `${ctx.url}${path}`,
    method: 'GET',
    headers,
    expectStatus: [200],
  });
  const token = `${ctx.url}/token`;

  switch (endpoint) {
    case 'discovery':
      return get('/.well-known/openid-configuration');
    case 'jwks':
      return get('/.well-known/jwks.json');
    case 'authorize': {
      const query = form({
        response_type: 'code',
        client_id: BENCH_CLIENT.public.clientId,
        redirect_uri: BENCH_CLIENT.redirectUri,
        scope: BENCH_SCOPE.codeFlow.join(' '),
        state: 'bench-state',
        nonce: 'bench-nonce',
        code_challenge: CODE_CHALLENGE,
        code_challenge_method: 'S256',
      });
      return {
        ...get(`/authorize?${query}`, { cookie: `authly_session=${ctx.sessionCookie}` }),
        // RFC 6749 §4.1.2 names 302 as the example; a 303 is as good (and what a POST needs).
        expectStatus: [302, 303],
        expectLocation: 'code=',
      };
    }
    case 'authorization_code':
      return tokenRequest(token, confidential, codeExchange);
    case 'refresh_token':
      return tokenRequest(token, confidential, (refreshToken) =>
        form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      );
    case 'client_credentials':
      return tokenRequest(token, confidential, clientCredentialsBody);
    case 'password':
      return tokenRequest(
        token,
        basicAuth(BENCH_CLIENT.password.clientId, BENCH_CLIENT.password.secret),
        form({
          grant_type: 'password',
          username: BENCH_USER.username,
          password: BENCH_USER.password,
          scope: BENCH_SCOPE.password.join(' '),
        }),
      );
    case 'introspection':
      return tokenRequest(`${ctx.url}/introspect`, confidential, introspectionBody(ctx));
    case 'userinfo':
      return get('/userinfo', { authorization: `Bearer ${ctx.accessToken}` });
  }
}

const clientCredentialsBody = form({
  grant_type: 'client_credentials',
  scope: BENCH_SCOPE.clientCredentials.join(' '),
});

function introspectionBody(ctx: TargetContext): string {
  return form({ token: ctx.accessToken ?? '', token_type_hint: 'access_token' });
}

/** The request for `endpoint` on oidc-provider, whose routes differ from Authly's. */
function oidcProviderRequest(endpoint: EndpointName, ctx: TargetContext): RequestShape {
  const get = (path: string): RequestShape => ({
    url: `${ctx.url}${path}`,
    method: 'GET',
    headers: {},
    expectStatus: [200],
  });

  switch (endpoint) {
    case 'discovery':
      return get('/.well-known/openid-configuration');
    case 'jwks':
      return get('/jwks');
    case 'authorization_code':
      return tokenRequest(`${ctx.url}/token`, confidential, codeExchange);
    case 'client_credentials':
      return tokenRequest(`${ctx.url}/token`, confidential, clientCredentialsBody);
    case 'introspection':
      return tokenRequest(`${ctx.url}/token/introspection`, confidential, introspectionBody(ctx));
    default:
      throw new Error(`oidc-provider is no baseline for ${endpoint}`);
  }
}

/** The request for `endpoint` on `target`. */
export function requestFor(
  target: Target,
  endpoint: EndpointName,
  ctx: TargetContext,
): RequestShape {
  if (target === 'authly') return authlyRequest(endpoint, ctx);
  if (target === 'oidc-provider') return oidcProviderRequest(endpoint, ctx);
  if (endpoint !== 'discovery' && endpoint !== 'jwks') {
    throw new Error(`bare node:http is no baseline for ${endpoint}`);
  }
  // Bare node:http serves Authly's bytes at Authly's paths.
  return authlyRequest(endpoint, ctx);
}
