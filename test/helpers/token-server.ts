/**
 * A running Authly for token endpoint suites: a fresh database of the given engine, a real
 * listening socket, its metadata read through discovery, a clock the test can move forward, and
 * helpers that seed clients, users and authorization codes straight through the store.
 */
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { AppContext } from '../../src/context.js';
import { sha256 } from '../../src/crypto/hash.js';
import { hashPassword } from '../../src/crypto/password.js';
import { randomToken } from '../../src/crypto/random.js';
import { createLogger } from '../../src/http/logger.js';
import { InvalidGrant } from '../../src/oauth/errors.js';
import type { Client, NewClient, StoreEngine, User } from '../../src/store/types.js';
import { freshDatabaseUrl } from './engines.js';
import { freePort } from './free-port.js';

export interface TokenServer {
  app: App;
  ctx: AppContext;
  /** The issuer, equal to the listening base URL. */
  issuer: string;
  tokenEndpoint: string;
  /** The server's metadata, as oauth4webapi discovered it from the OpenID configuration. */
  metadata: oauth.AuthorizationServer;
  /** Moves the server's clock forward. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

/** Starts Authly on an empty database of `engine`, listening on a free local port. */
export async function startTokenServer(
  engine: StoreEngine,
  env: NodeJS.ProcessEnv = {},
): Promise<TokenServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: await freshDatabaseUrl(engine),
    AUTHLY_ISSUER: issuer,
    ...env,
  });
  let offset = 0;
  const app = await createApp(config, {
    logger: createLogger('silent'),
    clock: () => new Date(Date.now() + offset),
  });
  await app.server.listen({ port, host: '127.0.0.1' });

  return {
    app,
    ctx: app.ctx,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    metadata: await discover(issuer),
    advance(seconds) {
      offset += seconds * 1000;
    },
    close: () => app.close(),
  };
}

/** The OpenID Provider metadata of `issuer`, read and checked by oauth4webapi. */
export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(url, response);
}

/** oauth4webapi's view of the server: what discovery answered. */
export function authorizationServer(server: TokenServer): oauth.AuthorizationServer {
  return server.metadata;
}

/** openid-client's configuration for `clientId` (plain http allowed for the test server). */
export function openidConfig(
  server: TokenServer,
  clientId: string,
  auth: openid.ClientAuth,
): openid.Configuration {
  const config = new openid.Configuration(authorizationServer(server), clientId, undefined, auth);
  openid.allowInsecureRequests(config);
  return config;
}

/** Options for every oauth4webapi request: the test server speaks plain http. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export const REDIRECT_URI = 'https://rp.example/callback';

/** The client's callback as the server sends it after /authorize: the code and `iss`. */
export function callbackUrl(server: TokenServer, code: string): URL {
  const url = new URL(REDIRECT_URI);
  url.search = new URLSearchParams({ code, iss: server.issuer }).toString();
  return url;
}

/** Registers a client; confidential ones get a fresh secret, answered alongside. */
export async function addClient(
  ctx: AppContext,
  overrides: Partial<NewClient> = {},
): Promise<{ client: Client; secret: string }> {
  const secret = randomToken();
  const authMethod = overrides.authMethod ?? 'client_secret_basic';
  const client = await ctx.store.clients.create({
    clientId: `client-${randomToken().slice(0, 10)}`,
    name: 'Test client',
    secretHash: authMethod === 'none' ? null : sha256(secret),
    redirectUris: [REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'api:read', 'api:write'],
    authMethod,
    isPublic: authMethod === 'none',
    ...overrides,
  });
  return { client, secret };
}

/** Creates a user with `password`. */
export async function addUser(ctx: AppContext, password: string): Promise<User> {
  const suffix = randomToken().slice(0, 8).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  return ctx.store.users.create({
    username: `user${suffix}`,
    email: `user${suffix}@example.test`,
    name: 'Test User',
    passwordHash: await hashPassword(password),
  });
}

export interface MintedCode {
  code: string;
  verifier: string;
  nonce: string;
}

/** Stores an authorization code as /authorize would, with a PKCE pair made by oauth4webapi. */
export async function mintCode(
  ctx: AppContext,
  grant: { clientId: string; userId: string; scope: string[]; redirectUri?: string },
): Promise<MintedCode> {
  const code = randomToken();
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const now = ctx.clock();
  await ctx.store.codes.create({
    codeHash: sha256(code),
    clientId: grant.clientId,
    userId: grant.userId,
    redirectUri: grant.redirectUri ?? REDIRECT_URI,
    scope: grant.scope,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    codeChallengeMethod: 'S256',
    nonce,
    authTime: new Date(now.getTime() - 5000),
    maxAgeRequested: false,
    sessionId: null,
    expiresAt: new Date(now.getTime() + ctx.config.codeTtl * 1000),
  });
  return { code, verifier, nonce };
}

/** A raw answer from the token endpoint. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs `form` to the token endpoint with fetch, as a client without a library would. */
export async function postToken(
  server: TokenServer,
  form: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(server.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

/** client_secret_basic credentials (RFC 6749 §2.3.1: each part form-url-encoded first). */
export function basicAuth(clientId: string, secret: string): Record<string, string> {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  const pair = `${encode(clientId)}:${encode(secret)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** A refresh_token request with fetch; `headers` carry the client's Basic credentials. */
export function postRefresh(
  server: TokenServer,
  headers: Record<string, string>,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<RawResponse> {
  return postToken(
    server,
    { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
    headers,
  );
}

/** An RFC 6749 §5.2 error: exact status, exactly {error, error_description}, never cached. */
export function assertOAuthError(response: RawResponse, status: number, error: string): void {
  assert.equal(response.status, status);
  assert.deepEqual(Object.keys(response.body).sort(), ['error', 'error_description']);
  assert.equal(response.body.error, error);
  assert.equal(typeof response.body.error_description, 'string');
  assert.ok((response.body.error_description as string).length > 0);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
}

/** invalid_grant, with its fixed public wording (nothing to tell an attacker apart). */
export function assertInvalidGrant(response: RawResponse): void {
  assertOAuthError(response, 400, 'invalid_grant');
  assert.deepEqual(response.body, new InvalidGrant().toJSON());
}
