/**
 * Tokens obtained the way a relying party obtains them: through the real /token endpoint with
 * oauth4webapi (an authorization code minted through the store stands in for /authorize). Also
 * the client configurations the revocation, introspection and userinfo suites hand to
 * oauth4webapi and openid-client, on the metadata the server published.
 */
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import type { Client, GrantType, StoreEngine, User } from '../../src/store/types.js';
import {
  addClient,
  addUser,
  authorizationServer,
  insecure,
  mintCode,
  REDIRECT_URI,
  startTokenServer,
  type TokenServer,
} from './token-server.js';

/** A registered client and its secret (empty for public clients). */
export interface Registered {
  client: Client;
  secret: string;
}

/** What a user grant answered, and the `sub` of its ID token. */
export interface UserTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** The ID token's `sub`, or undefined when `openid` was not granted. */
  sub: string | undefined;
}

/** The client authentication `registered` was registered with, for oauth4webapi. */
export function clientAuth({ client, secret }: Registered): oauth.ClientAuth {
  if (client.authMethod === 'none') return oauth.None();
  return client.authMethod === 'client_secret_post'
    ? oauth.ClientSecretPost(secret)
    : oauth.ClientSecretBasic(secret);
}

/** An openid-client configuration for `registered`, allowed to speak plain http to the test. */
export function openidConfig(server: TokenServer, registered: Registered): openid.Configuration {
  const { client, secret } = registered;
  let auth: openid.ClientAuth = openid.ClientSecretBasic(secret);
  if (client.authMethod === 'none') auth = openid.None();
  if (client.authMethod === 'client_secret_post') auth = openid.ClientSecretPost(secret);

  const config = new openid.Configuration(authorizationServer(server), client.clientId, {}, auth);
  openid.allowInsecureRequests(config);
  return config;
}

/** A client_credentials access token from /token. */
export async function clientCredentialsToken(
  server: TokenServer,
  registered: Registered,
  scope?: string,
): Promise<string> {
  const as = authorizationServer(server);
  const rp = { client_id: registered.client.clientId };
  const parameters: Record<string, string> = scope ? { scope } : {};
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    rp,
    clientAuth(registered),
    parameters,
    insecure,
  );
  const result = await oauth.processClientCredentialsResponse(as, rp, response);
  return result.access_token;
}

/** Tokens for `user`'s grant of `scope` to the client: authorization code exchanged at /token. */
export async function userTokens(
  server: TokenServer,
  registered: Registered,
  user: User,
  scope: string[],
): Promise<UserTokens> {
  const as = authorizationServer(server);
  const rp = { client_id: registered.client.clientId };
  const minted = await mintCode(server.ctx, {
    clientId: registered.client.clientId,
    userId: user.id,
    scope,
  });

  const callback = oauth.validateAuthResponse(
    as,
    rp,
    new URLSearchParams({ code: minted.code, iss: server.issuer }),
    oauth.expectNoState,
  );
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    rp,
    clientAuth(registered),
    callback,
    REDIRECT_URI,
    minted.verifier,
    insecure,
  );
  // Without openid this is plain OAuth: no ID token, so no nonce to expect.
  const openidRequest = scope.includes('openid');
  const result = await oauth.processAuthorizationCodeResponse(as, rp, response, {
    expectedNonce: openidRequest ? minted.nonce : undefined,
    requireIdToken: openidRequest,
  });
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    sub: oauth.getValidatedIdTokenClaims(result)?.sub,
  };
}

/** Introspects `token` as `registered`, through oauth4webapi. */
export async function introspect(
  server: TokenServer,
  registered: Registered,
  token: string,
): Promise<oauth.IntrospectionResponse> {
  const as = authorizationServer(server);
  const rp = { client_id: registered.client.clientId };
  const response = await oauth.introspectionRequest(
    as,
    rp,
    clientAuth(registered),
    token,
    insecure,
  );
  return oauth.processIntrospectionResponse(as, rp, response);
}

/** The claims of a JWT, read without checking it (the suites compare what the server sent). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/**
 * A POST of `form` to `path` with fetch, as a client without a library would send it; text and
 * bytes are sent exactly as given.
 */
export async function postForm(
  server: TokenServer,
  path: string,
  form: Record<string, string> | string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  const raw = typeof form === 'string' || form instanceof Uint8Array;
  return fetch(`${server.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: raw ? (form as BodyInit) : new URLSearchParams(form).toString(),
  });
}

/**
 * Asserts an RFC 6749 §5.2 error answer: the exact status and code, exactly `error` and
 * `error_description`, JSON, never cached. Answers the response's headers for further checks.
 */
export async function assertOAuthError(
  response: Response,
  status: number,
  error: string,
): Promise<Headers> {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
  assert.equal(body.error, error);
  assert.ok(typeof body.error_description === 'string' && body.error_description.length > 0);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  return response.headers;
}

/** Exchanges `refreshToken` at /token through oauth4webapi; rejects as the library does. */
export async function refresh(
  server: TokenServer,
  registered: Registered,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse> {
  const as = authorizationServer(server);
  const rp = { client_id: registered.client.clientId };
  const auth = clientAuth(registered);
  const response = await oauth.refreshTokenGrantRequest(as, rp, auth, refreshToken, insecure);
  return oauth.processRefreshTokenResponse(as, rp, response);
}

/** What the revocation, introspection and userinfo suites start from. */
export interface Cast {
  server: TokenServer;
  /** A confidential client (client_secret_basic) with the code, refresh and client grants. */
  rp: Registered;
  /** A second confidential client (client_secret_post), e.g. a resource server. */
  other: Registered;
  /** A public client (none) with the code and refresh grants. */
  publicRp: Registered;
  user: User;
}

/** Starts a server on `engine` and registers the cast. */
export async function startCast(engine: StoreEngine): Promise<Cast> {
  const server = await startTokenServer(engine);
  const grantTypes: GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];
  return {
    server,
    rp: await addClient(server.ctx, { grantTypes }),
    other: await addClient(server.ctx, { grantTypes, authMethod: 'client_secret_post' }),
    publicRp: await addClient(server.ctx, { authMethod: 'none' }),
    user: await addUser(server.ctx, 'correct horse battery staple'),
  };
}

/** Runs `check` with the server's clock `seconds` ahead, then puts the clock back. */
export async function later(
  server: TokenServer,
  seconds: number,
  check: () => Promise<void>,
): Promise<void> {
  server.advance(seconds);
  try {
    await check();
  } finally {
    server.advance(-seconds);
  }
}
