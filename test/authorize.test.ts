/**
 * The authorization endpoint, sign-in and consent pages, sessions and RP-initiated logout, driven
 * over real HTTP the way a browser would (fetch with manual redirects and a cookie jar), on every
 * storage engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { sha256 } from '../src/crypto/hash.js';
import { createLogger } from '../src/http/logger.js';
import { AUTO_SUBMIT } from '../src/oauth/authorize/respond.js';
import { scriptHash } from '../src/oauth/authorize/page-headers.js';
import { SIGN_IN_FAILED } from '../src/oauth/endpoints/login.js';
import { ADDRESS_LIMIT, LOCKOUT_SECONDS, LOCKOUT_THRESHOLD } from '../src/security/sign-in.js';
import type { Client, StoreEngine, User } from '../src/store/types.js';
import { freshDatabaseUrl, testEngines } from './helpers/engines.js';
import { freePort } from './helpers/free-port.js';
import { addClient, addUser, basicAuth } from './helpers/token-server.js';
import {
  approve,
  authorizeAs,
  hiddenFields,
  redirectedTo,
  signIn,
  UserAgent as Browser,
} from './helpers/user-agent.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://rp.example/callback';
const LOOPBACK = 'http://127.0.0.1/cb';
const LOOPBACK_V6 = 'http://[::1]/cb';

interface Server {
  app: App;
  base: string;
  issuer: string;
  advance(seconds: number): void;
}

/** Authly on a fresh database; `issuer` defaults to the listening address. */
async function startServer(engine: StoreEngine, issuer?: string): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: await freshDatabaseUrl(engine),
    AUTHLY_ISSUER: issuer ?? base,
  });
  let offset = 0;
  const app = await createApp(config, {
    logger: createLogger('silent'),
    clock: () => new Date(Date.now() + offset),
  });
  await app.server.listen({ port, host: '127.0.0.1' });
  return { app, base, issuer: config.issuer, advance: (s) => (offset += s * 1000) };
}

interface Flow {
  params: Record<string, string>;
  verifier: string;
}

/** A valid authorization request (S256 PKCE, state, nonce), with `overrides` applied. */
async function authorizationRequest(
  client: Client,
  overrides: Record<string, string | null> = {},
): Promise<Flow> {
  const verifier = oauth.generateRandomCodeVerifier();
  const params: Record<string, string> = {
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    response_type: 'code',
    scope: 'openid profile',
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete params[name];
    else params[name] = value;
  }
  return { params, verifier };
}

function authorizeUrl(server: Server, params: Record<string, string>): string {
  return `${server.base}/authorize?${new URLSearchParams(params)}`;
}

/** The strict page policy every page of the flow carries. */
function assertPageHeaders(response: Response): void {
  assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

/** An error page: exact status, HTML, no redirect. */
function assertErrorPage(response: Response, text: string, status = 400): void {
  assert.equal(response.status, status, text);
  assert.equal(response.headers.get('location'), null);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(text, /role="alert"/);
  assertPageHeaders(response);
}

/** A 303 to `redirectUri` carrying `error`, the request's `state` and `iss`. */
function assertErrorRedirect(
  server: Server,
  response: Response,
  redirectUri: string,
  state: string | undefined,
  error: string,
): URL {
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  assert.equal(location.searchParams.get('error'), error);
  assert.ok((location.searchParams.get('error_description') ?? '').length > 0);
  assert.equal(location.searchParams.get('state'), state ?? null);
  assert.equal(location.searchParams.get('iss'), server.issuer);
  assert.equal(location.searchParams.get('code'), null);
  return location;
}

/** The code in a successful 303 to the client, after checking `state` and `iss`. */
function codeFrom(server: Server, response: Response, flow: Flow): string {
  assert.equal(response.status, 303);
  const location = new URL(response.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, flow.params.redirect_uri);
  assert.equal(location.searchParams.get('state'), flow.params.state);
  assert.equal(location.searchParams.get('iss'), server.issuer);
  assert.equal(location.searchParams.get('error'), null);
  const code = location.searchParams.get('code');
  assert.match(code ?? '', /^[A-Za-z0-9_-]{43}$/);
  return code!;
}

/** Runs a whole flow in `browser`: authorize, sign in and consent when asked. Answers the code. */
async function completeFlow(
  browser: Browser,
  server: Server,
  user: User,
  flow: Flow,
): Promise<string> {
  const url = authorizeUrl(server, flow.params);
  const last = await authorizeAs(browser, url, user.username, PASSWORD);
  return codeFrom(server, last.response, flow);
}

for (const engine of testEngines()) {
  describe(`authorization endpoint, sign-in and consent (${engine})`, () => {
    let server: Server;
    let client: Client;
    let single: Client;
    let noCodeGrant: Client;
    let user: User;
    let secret: string;

    before(async () => {
      server = await startServer(engine);
      const ctx = server.app.ctx;
      ({ client, secret } = await addClient(ctx, {
        name: 'Photo <Printer>',
        redirectUris: [REDIRECT, LOOPBACK, LOOPBACK_V6, 'http://localhost/cb'],
        scopes: ['openid', 'profile', 'email', 'offline_access'],
      }));
      ({ client: single } = await addClient(ctx, {
        redirectUris: ['https://single.example/cb'],
        scopes: ['openid', 'profile', 'email'],
        grantTypes: ['authorization_code'],
      }));
      ({ client: noCodeGrant } = await addClient(ctx, {
        grantTypes: ['client_credentials'],
      }));
      user = await addUser(ctx, PASSWORD);
    });

    after(() => server.app.close());

    test('an unknown or missing client, or an unknown redirect URI: error page', async () => {
      const browser = new Browser(server);
      const cases: Record<string, string | null>[] = [
        { client_id: null },
        { client_id: 'no-such-client' },
        { redirect_uri: 'https://evil.example/callback' },
        { redirect_uri: `${REDIRECT}/` },
        { redirect_uri: `${REDIRECT}?x=1` },
        { redirect_uri: `${REDIRECT}#frag` },
        { redirect_uri: 'HTTPS://rp.example/callback' },
        // RFC 8252 §8.3: localhost gets no port exception.
        { redirect_uri: 'http://localhost:8123/cb' },
        // Loopback: any port, but the same path.
        { redirect_uri: 'http://127.0.0.1:8123/other' },
        { redirect_uri: 'https://127.0.0.1:8123/cb' },
        // Loopback: a port that is no TCP port is no address to return to.
        { redirect_uri: 'http://127.0.0.1:99999/cb' },
        { redirect_uri: 'http://[::1]:65536/cb' },
        { redirect_uri: 'http://127.0.0.1:0/cb' },
        // Several URIs registered: it cannot be left out.
        { redirect_uri: null },
      ];
      for (const overrides of cases) {
        const flow = await authorizationRequest(client, overrides);
        const { response, text } = await browser.fetch(authorizeUrl(server, flow.params));
        assertErrorPage(response, text);
        // The sign-in page and prompt=none run the same checks (and once answered 500 here).
        const query = new URLSearchParams(flow.params);
        const login = await browser.fetch(`${server.base}/login?${query}`);
        assertErrorPage(login.response, login.text);
        query.set('prompt', 'none');
        const silent = await browser.fetch(`${server.base}/authorize?${query}`);
        assertErrorPage(silent.response, silent.text);
      }
    });

    test('a single registered redirect URI may be left out, not with openid', async () => {
      const browser = new Browser(server);
      const oauthOnly = await authorizationRequest(single, {
        redirect_uri: null,
        scope: 'profile',
      });
      const ok = await browser.fetch(authorizeUrl(server, oauthOnly.params));
      assert.match(redirectedTo(server, ok.response), /^\/login\?/);

      const openid = await authorizationRequest(single, { redirect_uri: null });
      const refused = await browser.fetch(authorizeUrl(server, openid.params));
      assertErrorPage(refused.response, refused.text);
    });

    test('a repeated parameter is an error page', async () => {
      const browser = new Browser(server);
      const { params } = await authorizationRequest(client);
      const url = `${authorizeUrl(server, params)}&state=again`;
      const { response, text } = await browser.fetch(url);
      assertErrorPage(response, text);
    });

    test('once the redirect URI is trusted, errors go back with state and iss', async () => {
      const browser = new Browser(server);
      const cases: [Record<string, string | null>, string, Client?][] = [
        [{ response_type: null }, 'invalid_request'],
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ response_type: 'code id_token' }, 'unsupported_response_type'],
        [{ redirect_uri: REDIRECT }, 'unauthorized_client', noCodeGrant],
        [{ code_challenge: null }, 'invalid_request'],
        [{ code_challenge_method: null }, 'invalid_request'],
        [{ code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'too-short' }, 'invalid_request'],
        [{ scope: 'openid admin' }, 'invalid_scope'],
        [{ scope: 'openid offline_access' }, 'invalid_scope', single],
        [{ response_mode: 'fragment' }, 'invalid_request'],
        [{ response_mode: 'jwt' }, 'invalid_request'],
        [{ prompt: 'none login' }, 'invalid_request'],
        [{ prompt: 'select_account' }, 'invalid_request'],
        [{ max_age: '-1' }, 'invalid_request'],
        [{ max_age: 'soon' }, 'invalid_request'],
        // OIDC Core §6.1, §6.2: request objects are refused, not silently ignored.
        [{ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
        [{ request_uri: 'https://rp.example/request.jwt' }, 'request_uri_not_supported'],
      ];
      for (const [overrides, error, which] of cases) {
        const target = which ?? client;
        const flow = await authorizationRequest(target, overrides);
        const { response } = await browser.fetch(authorizeUrl(server, flow.params));
        assertErrorRedirect(server, response, flow.params.redirect_uri, flow.params.state, error);
      }

      // Without state, none is invented.
      const stateless = await authorizationRequest(client, { state: null, scope: 'openid bogus' });
      const { response } = await browser.fetch(authorizeUrl(server, stateless.params));
      assertErrorRedirect(server, response, REDIRECT, undefined, 'invalid_scope');
    });

    test('loopback redirect URIs match on any port (RFC 8252 §7.3)', async () => {
      const browser = new Browser(server);
      for (const uri of ['http://127.0.0.1:49152/cb', 'http://[::1]:61000/cb', LOOPBACK]) {
        const flow = await authorizationRequest(client, { redirect_uri: uri, scope: 'bogus' });
        const { response } = await browser.fetch(authorizeUrl(server, flow.params));
        const { state } = flow.params;
        const location = assertErrorRedirect(server, response, uri, state, 'invalid_scope');
        assert.equal(location.port, new URL(uri).port);
      }
    });

    test('a whole flow: sign-in page, consent page, then a code bound to the request', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client, { scope: 'openid profile email' });
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      assert.match(loginPath, /^\/login\?/);

      const login = await browser.fetch(`${server.base}${loginPath}`);
      assert.equal(login.response.status, 200);
      assertPageHeaders(login.response);
      assert.match(login.text, /Photo &lt;Printer&gt;/);
      assert.match(
        login.response.headers.get('content-security-policy') ?? '',
        /form-action 'self' https:\/\/rp\.example/,
      );
      const csrfCookie = browser.setCookies.find((c) => c.startsWith('authly_csrf='));
      assert.match(csrfCookie ?? '', /HttpOnly/);
      assert.doesNotMatch(csrfCookie ?? '', /Secure/);

      const signedIn = await browser.fetch(`${server.base}/login`, {
        form: { ...hiddenFields(login.text), username: user.username, password: PASSWORD },
      });
      const consentPath = redirectedTo(server, signedIn.response);
      assert.match(consentPath, /^\/consent\?/);
      const sessionCookie = browser.setCookies.find((c) => c.startsWith('authly_session='));
      assert.match(sessionCookie ?? '', /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      const cookieValue = browser.cookies.get('authly_session')!;
      const session = await server.app.ctx.store.sessions.find(
        sha256(cookieValue),
        server.app.ctx.clock(),
      );
      assert.equal(session?.userId, user.id);

      const consent = await browser.fetch(`${server.base}${consentPath}`);
      assert.equal(consent.response.status, 200);
      assertPageHeaders(consent.response);
      assert.match(consent.text, /Allow Photo &lt;Printer&gt; access\?/);
      for (const words of ['Sign you in', 'Your name and profile', 'Your email address']) {
        assert.ok(consent.text.includes(words), words);
      }

      const approved = await browser.fetch(`${server.base}/consent`, {
        form: { ...hiddenFields(consent.text), decision: 'approve' },
      });
      const code = codeFrom(server, approved.response, flow);

      const stored = await server.app.ctx.store.codes.consume(sha256(code), server.app.ctx.clock());
      assert.equal(stored.status, 'consumed');
      assert.ok(stored.status === 'consumed');
      assert.equal(stored.code.clientId, client.clientId);
      assert.equal(stored.code.userId, user.id);
      assert.equal(stored.code.redirectUri, REDIRECT);
      assert.deepEqual(stored.code.scope, ['openid', 'profile', 'email']);
      assert.equal(stored.code.codeChallenge, flow.params.code_challenge);
      assert.equal(stored.code.nonce, flow.params.nonce);
      assert.equal(stored.code.maxAgeRequested, false);
      assert.equal(stored.code.sessionId, sha256(cookieValue));
      assert.equal(stored.code.authTime.getTime(), session?.authTime.getTime());
      const ttl = stored.code.expiresAt.getTime() - server.app.ctx.clock().getTime();
      assert.ok(ttl > 0 && ttl <= server.app.ctx.config.codeTtl * 1000);

      const consentRow = await server.app.ctx.store.consents.find(user.id, client.clientId);
      assert.deepEqual(consentRow?.scope, ['openid', 'profile', 'email']);
    });

    test('consent is remembered: a subset skips it, more or prompt=consent ask', async () => {
      const browser = new Browser(server);
      await completeFlow(browser, server, user, await authorizationRequest(client));

      const subset = await authorizationRequest(client, { scope: 'openid' });
      codeFrom(server, (await browser.fetch(authorizeUrl(server, subset.params))).response, subset);

      const more = await authorizationRequest(client, { scope: 'openid profile offline_access' });
      const asked = await browser.fetch(authorizeUrl(server, more.params));
      assert.match(redirectedTo(server, asked.response), /^\/consent\?/);

      const forced = await authorizationRequest(client, { prompt: 'consent', scope: 'openid' });
      const again = await browser.fetch(authorizeUrl(server, forced.params));
      const consentPath = redirectedTo(server, again.response);
      assert.match(consentPath, /^\/consent\?/);
      codeFrom(server, (await approve(browser, consentPath)).response, forced);
    });

    test('offline_access is dropped for a client without the refresh_token grant', async () => {
      const { client: noRefresh } = await addClient(server.app.ctx, {
        grantTypes: ['authorization_code'],
        scopes: ['openid', 'offline_access'],
      });
      const browser = new Browser(server);
      const flow = await authorizationRequest(noRefresh, { scope: 'openid offline_access' });
      const code = await completeFlow(browser, server, user, flow);
      const stored = await server.app.ctx.store.codes.consume(sha256(code), server.app.ctx.clock());
      assert.ok(stored.status === 'consumed');
      assert.deepEqual(stored.code.scope, ['openid']);
    });

    test('without scope, the client gets its scopes minus openid and offline_access', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client, { scope: null });
      const code = await completeFlow(browser, server, user, flow);
      const stored = await server.app.ctx.store.codes.consume(sha256(code), server.app.ctx.clock());
      assert.ok(stored.status === 'consumed');
      assert.deepEqual(stored.code.scope, ['profile', 'email']);
    });

    test('deny sends access_denied back to the client', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client, { prompt: 'consent' });
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      const signedIn = await signIn(browser, loginPath, user.username, PASSWORD);
      const page = await browser.fetch(`${server.base}${redirectedTo(server, signedIn.response)}`);
      const denied = await browser.fetch(`${server.base}/consent`, {
        form: { ...hiddenFields(page.text), decision: 'deny' },
      });
      assertErrorRedirect(server, denied.response, REDIRECT, flow.params.state, 'access_denied');
    });

    test('prompt=none: login_required, then consent_required, then a code', async () => {
      const browser = new Browser(server);
      const { client: fresh } = await addClient(server.app.ctx, { redirectUris: [REDIRECT] });
      const silent = await authorizationRequest(fresh, { prompt: 'none' });
      const noSession = await browser.fetch(authorizeUrl(server, silent.params));
      const { state } = silent.params;
      assertErrorRedirect(server, noSession.response, REDIRECT, state, 'login_required');

      await completeFlow(browser, server, user, await authorizationRequest(client));
      const noConsent = await browser.fetch(authorizeUrl(server, silent.params));
      assertErrorRedirect(server, noConsent.response, REDIRECT, state, 'consent_required');

      const again = await authorizationRequest(client, { prompt: 'none' });
      codeFrom(server, (await browser.fetch(authorizeUrl(server, again.params))).response, again);
    });

    test('prompt=login asks for the password again, then continues without a loop', async () => {
      const browser = new Browser(server);
      await completeFlow(browser, server, user, await authorizationRequest(client));
      const before = browser.cookies.get('authly_session');

      const flow = await authorizationRequest(client, { prompt: 'login' });
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      assert.match(loginPath, /^\/login\?/);
      const signedIn = await signIn(browser, loginPath, user.username, PASSWORD);
      codeFrom(server, signedIn.response, flow);
      // A new session id after every sign-in; the old one is gone.
      assert.notEqual(browser.cookies.get('authly_session'), before);
      assert.equal(
        await server.app.ctx.store.sessions.find(sha256(before!), server.app.ctx.clock()),
        null,
      );
    });

    test('max_age: an older sign-in must be repeated', async () => {
      const browser = new Browser(server);
      await completeFlow(browser, server, user, await authorizationRequest(client));
      server.advance(120);

      const recent = await authorizationRequest(client, { max_age: '600' });
      const code = codeFrom(
        server,
        (await browser.fetch(authorizeUrl(server, recent.params))).response,
        recent,
      );
      const stored = await server.app.ctx.store.codes.consume(sha256(code), server.app.ctx.clock());
      assert.ok(stored.status === 'consumed');
      assert.equal(stored.code.maxAgeRequested, true);

      const strict = await authorizationRequest(client, { max_age: '60' });
      const start = await browser.fetch(authorizeUrl(server, strict.params));
      const loginPath = redirectedTo(server, start.response);
      assert.match(loginPath, /^\/login\?/);
      const signedIn = await signIn(browser, loginPath, user.username, PASSWORD);
      codeFrom(server, signedIn.response, strict);

      // max_age=0 is prompt=login, even right after a sign-in; then no loop.
      const zero = await authorizationRequest(client, { max_age: '0' });
      const now = await browser.fetch(authorizeUrl(server, zero.params));
      const again = redirectedTo(server, now.response);
      assert.match(again, /^\/login\?/);
      codeFrom(server, (await signIn(browser, again, user.username, PASSWORD)).response, zero);
    });

    test('form_post: an auto-submitted form, its script allowed by hash', async () => {
      const browser = new Browser(server);
      await completeFlow(browser, server, user, await authorizationRequest(client));

      const flow = await authorizationRequest(client, { response_mode: 'form_post' });
      // POST /authorize, form-encoded, works like GET.
      const { response, text } = await browser.fetch(`${server.base}/authorize`, {
        form: flow.params,
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.ok(text.includes(`<form method="post" action="${REDIRECT}">`));
      const fields = hiddenFields(text);
      assert.deepEqual(Object.keys(fields).sort(), ['code', 'iss', 'state']);
      assert.equal(fields.state, flow.params.state);
      assert.equal(fields.iss, server.issuer);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.ok(csp.includes(`script-src ${scriptHash(AUTO_SUBMIT)}`), csp);
      assert.ok(csp.includes("form-action 'self' https://rp.example"), csp);
      assert.ok(csp.includes("frame-ancestors 'none'"), csp);

      const bad = await authorizationRequest(client, { response_mode: 'form_post', scope: 'nope' });
      const failed = await browser.fetch(authorizeUrl(server, bad.params));
      assert.equal(failed.response.status, 200);
      const errorFields = hiddenFields(failed.text);
      assert.equal(errorFields.error, 'invalid_scope');
      assert.equal(errorFields.state, bad.params.state);
      assert.equal(errorFields.iss, server.issuer);
    });

    test('forms without the right CSRF token are refused with 403', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client, { prompt: 'consent' });
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      const loginPage = await browser.fetch(`${server.base}${loginPath}`);
      const form = { ...hiddenFields(loginPage.text), username: user.username, password: PASSWORD };

      const forged = await browser.fetch(`${server.base}/login`, {
        form: { ...form, csrf_token: 'x'.repeat(43) },
      });
      assertErrorPage(forged.response, forged.text, 403);

      const stranger = new Browser(server);
      const noCookie = await stranger.fetch(`${server.base}/login`, { form });
      assertErrorPage(noCookie.response, noCookie.text, 403);
      assert.equal(stranger.cookies.get('authly_session'), undefined);

      // The consent token of one session does not work for another.
      const signedIn = await browser.fetch(`${server.base}/login`, { form });
      const consent = await browser.fetch(
        `${server.base}${redirectedTo(server, signedIn.response)}`,
      );
      const other = new Browser(server);
      await completeFlow(other, server, user, await authorizationRequest(client));
      const crossed = await other.fetch(`${server.base}/consent`, {
        form: { ...hiddenFields(consent.text), decision: 'approve' },
      });
      assertErrorPage(crossed.response, crossed.text, 403);
    });

    test('an error_description quoting the request keeps to the RFC 6749 characters', async () => {
      const browser = new Browser(server);
      // RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
      const cases: [Record<string, string>, string][] = [
        [{ prompt: 'na\u00efve"\\' }, 'invalid_request'],
        [{ scope: 'openid "caf\u00e9"' }, 'invalid_scope'],
      ];
      for (const [overrides, error] of cases) {
        const flow = await authorizationRequest(client, overrides);
        const { response } = await browser.fetch(authorizeUrl(server, flow.params));
        const { state } = flow.params;
        const location = assertErrorRedirect(server, response, REDIRECT, state, error);
        const description = location.searchParams.get('error_description')!;
        assert.match(description, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
      }
    });

    test('nothing from the request reaches a page unescaped; state comes back intact', async () => {
      const probe = '"><script>alert(1)</script>&x=1 \u00e9';
      const browser = new Browser(server);

      // An error page that quotes a parameter name.
      const name = encodeURIComponent(probe);
      const repeated = await browser.fetch(`${server.base}/authorize?${name}=1&${name}=2`);
      assertErrorPage(repeated.response, repeated.text);
      assert.ok(!repeated.text.includes('<script'), repeated.text);
      assert.ok(repeated.text.includes('&lt;script&gt;'));

      // state and login_hint through the sign-in page, a typed username, then the consent page.
      const flow = await authorizationRequest(client, {
        state: probe,
        login_hint: probe,
        prompt: 'consent',
      });
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      const login = await browser.fetch(loginPath);
      const failed = await browser.fetch('/login', {
        form: { ...hiddenFields(login.text), username: probe, password: 'wrong' },
      });
      for (const page of [login, failed]) {
        assert.ok(!page.text.includes('<script'), page.text);
        assert.equal(hiddenFields(page.text).state, probe);
      }
      const signedIn = await signIn(browser, loginPath, user.username, PASSWORD);
      const consent = await browser.fetch(redirectedTo(server, signedIn.response));
      assert.ok(!consent.text.includes('<script'), consent.text);
      const approved = await browser.fetch('/consent', {
        form: { ...hiddenFields(consent.text), decision: 'approve' },
      });
      codeFrom(server, approved.response, flow);

      // form_post carries it in an auto-submitted form: escaped there too.
      const posted = await authorizationRequest(client, {
        state: probe,
        response_mode: 'form_post',
      });
      const page = await browser.fetch(authorizeUrl(server, posted.params));
      assert.equal(page.response.status, 200);
      assert.ok(!page.text.includes(probe));
      assert.equal(hiddenFields(page.text).state, probe);
    });

    test('consent is remembered per user: another user of the same client is asked', async () => {
      await completeFlow(new Browser(server), server, user, await authorizationRequest(client));
      const someoneElse = await addUser(server.app.ctx, PASSWORD);
      const browser = new Browser(server);
      const flow = await authorizationRequest(client);
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const loginPath = redirectedTo(server, start.response);
      const signedIn = await signIn(browser, loginPath, someoneElse.username, PASSWORD);
      assert.match(redirectedTo(server, signedIn.response), /^\/consent\?/);
    });

    test('an account is locked after repeated failures, saying only "wrong"', async () => {
      const victim = await addUser(server.app.ctx, PASSWORD);
      const browser = new Browser(server);
      const flow = await authorizationRequest(client);
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const page = await browser.fetch(redirectedTo(server, start.response));
      const attempt = (password: string) =>
        browser.fetch('/login', {
          form: { ...hiddenFields(page.text), username: victim.username, password },
        });

      for (let i = 0; i < LOCKOUT_THRESHOLD; i += 1) {
        const failed = await attempt(`wrong ${i}`);
        assert.equal(failed.response.status, 200);
        assert.ok(failed.text.includes(SIGN_IN_FAILED));
      }
      const locked = await attempt(PASSWORD);
      assert.equal(locked.response.status, 200);
      assert.ok(locked.text.includes(SIGN_IN_FAILED));
      assert.equal(locked.response.headers.get('retry-after'), null);
      assert.equal(browser.cookies.get('authly_session'), undefined);

      // The lock ends by itself.
      server.advance(LOCKOUT_SECONDS);
      try {
        const unlocked = await attempt(PASSWORD);
        assert.match(redirectedTo(server, unlocked.response), /^\/consent\?/);
      } finally {
        server.advance(-LOCKOUT_SECONDS);
      }
    });

    test('a failed sign-in says the same for a wrong password and an unknown user', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client);
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const page = await browser.fetch(`${server.base}${redirectedTo(server, start.response)}`);
      const form = hiddenFields(page.text);

      const wrong = await browser.fetch(`${server.base}/login`, {
        form: { ...form, username: user.username, password: 'not it' },
      });
      const unknown = await browser.fetch(`${server.base}/login`, {
        form: { ...form, username: 'nobody-here', password: 'not it' },
      });
      for (const answer of [wrong, unknown]) {
        assert.equal(answer.response.status, 200);
        assertPageHeaders(answer.response);
        assert.ok(answer.text.includes(SIGN_IN_FAILED));
        assert.equal(browser.cookies.get('authly_session'), undefined);
      }
      const strip = (html: string, name: string) =>
        html.replaceAll(name, '').replace(/value="[^"]*"/g, '');
      assert.equal(strip(wrong.text, user.username), strip(unknown.text, 'nobody-here'));
    });

    test('an https issuer sets Secure cookies', async () => {
      const secure = await startServer(engine, 'https://auth.example');
      try {
        const { client: c } = await addClient(secure.app.ctx);
        const u = await addUser(secure.app.ctx, PASSWORD);
        const browser = new Browser(secure);
        const flow = await authorizationRequest(c);
        const start = await browser.fetch(authorizeUrl(secure, flow.params));
        const loginPath = redirectedTo(secure, start.response);
        assert.match(loginPath, /^\/login\?/);
        const signedIn = await signIn(browser, loginPath, u.username, PASSWORD);
        assert.match(redirectedTo(secure, signedIn.response), /^\/consent\?/);
        for (const name of ['authly_csrf', 'authly_session']) {
          const line = browser.setCookies.find((c) => c.startsWith(`${name}=`)) ?? '';
          assert.match(line, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
        }
      } finally {
        await secure.app.close();
      }
    });

    describe('RP-initiated logout', () => {
      /** A signed-in browser and an ID token for it, from the real token endpoint. */
      async function signedInWithIdToken() {
        const browser = new Browser(server);
        const flow = await authorizationRequest(client);
        const code = await completeFlow(browser, server, user, flow);
        const response = await fetch(`${server.base}/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...basicAuth(client.clientId, secret),
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: REDIRECT,
            code_verifier: flow.verifier,
          }),
        });
        const body = (await response.json()) as { id_token?: string };
        assert.equal(response.status, 200, JSON.stringify(body));
        return { browser, idToken: body.id_token! };
      }

      async function isSignedIn(browser: Browser) {
        const silent = await authorizationRequest(client, { prompt: 'none' });
        const { response } = await browser.fetch(authorizeUrl(server, silent.params));
        return new URL(response.headers.get('location')!).searchParams.get('error') === null;
      }

      test('a valid id_token_hint ends the session; back to the client with state', async () => {
        const { browser, idToken } = await signedInWithIdToken();
        const session = sha256(browser.cookies.get('authly_session')!);
        assert.equal(await isSignedIn(browser), true);

        const query = new URLSearchParams({
          id_token_hint: idToken,
          post_logout_redirect_uri: REDIRECT,
          state: 'bye',
        });
        const { response } = await browser.fetch(`${server.base}/end_session?${query}`);
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), `${REDIRECT}?state=bye`);
        assert.ok(browser.setCookies.at(-1)?.startsWith('authly_session=; '));
        const { store, clock } = server.app.ctx;
        assert.equal(await store.sessions.find(session, clock()), null);
        assert.equal(await isSignedIn(browser), false);
      });

      test('an expired hint still names the client (POST works like GET)', async () => {
        const { browser, idToken } = await signedInWithIdToken();
        server.advance(server.app.ctx.config.idTokenTtl + 60);
        const { response } = await browser.fetch(`${server.base}/end_session`, {
          form: { id_token_hint: idToken, post_logout_redirect_uri: REDIRECT },
        });
        assert.equal(response.status, 303);
        assert.equal(response.headers.get('location'), REDIRECT);
      });

      test('an unregistered URI or a forged hint: error page, session kept', async () => {
        const { browser, idToken } = await signedInWithIdToken();
        const [head, payload] = idToken.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' }));
        const forged = `${head}.${forgedPayload.toString('base64url')}.${idToken.split('.')[2]}`;
        const cases: Record<string, string>[] = [
          { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' },
          { post_logout_redirect_uri: REDIRECT },
          { client_id: single.clientId, post_logout_redirect_uri: REDIRECT },
          { id_token_hint: forged, post_logout_redirect_uri: REDIRECT },
          { id_token_hint: 'not.a.jwt' },
        ];
        for (const params of cases) {
          const { response, text } = await browser.fetch(
            `${server.base}/end_session?${new URLSearchParams(params)}`,
          );
          assertErrorPage(response, text);
        }
        assert.equal(await isSignedIn(browser), true);
      });

      test('without a hint the user confirms, by a CSRF-protected form', async () => {
        const { browser } = await signedInWithIdToken();
        const query = new URLSearchParams({
          client_id: client.clientId,
          post_logout_redirect_uri: REDIRECT,
          state: 's1',
        });
        const ask = await browser.fetch(`${server.base}/end_session?${query}`);
        assert.equal(ask.response.status, 200);
        assertPageHeaders(ask.response);
        assert.equal(await isSignedIn(browser), true);

        const fields = hiddenFields(ask.text);
        const forged = await browser.fetch(`${server.base}/end_session`, {
          form: { ...fields, csrf_token: 'y'.repeat(43), confirm: 'yes' },
        });
        assertErrorPage(forged.response, forged.text, 403);
        assert.equal(await isSignedIn(browser), true);

        const done = await browser.fetch(`${server.base}/end_session`, {
          form: { ...fields, confirm: 'yes' },
        });
        assert.equal(done.response.status, 303);
        assert.equal(done.response.headers.get('location'), `${REDIRECT}?state=s1`);
        assert.equal(await isSignedIn(browser), false);
      });

      test('with nowhere to return to, a signed-out page', async () => {
        const { browser, idToken } = await signedInWithIdToken();
        const { response, text } = await browser.fetch(
          `${server.base}/end_session?id_token_hint=${idToken}`,
        );
        assert.equal(response.status, 200);
        assertPageHeaders(response);
        assert.match(text, /signed out/);
        assert.equal(await isSignedIn(browser), false);
      });
    });

    // Last: it leaves this address throttled for the rest of the server's window.
    test('sign-in from one address is throttled with 429 and Retry-After', async () => {
      const browser = new Browser(server);
      const flow = await authorizationRequest(client);
      const start = await browser.fetch(authorizeUrl(server, flow.params));
      const page = await browser.fetch(`${server.base}${redirectedTo(server, start.response)}`);
      const form = { ...hiddenFields(page.text), password: 'wrong' };

      let last: Awaited<ReturnType<Browser['fetch']>> | undefined;
      for (let i = 0; i <= ADDRESS_LIMIT; i += 1) {
        last = await browser.fetch(`${server.base}/login`, {
          form: { ...form, username: `nobody-${i}` },
        });
        if (last.response.status !== 200) break;
      }
      assert.equal(last?.response.status, 429);
      assert.ok(Number(last?.response.headers.get('retry-after')) > 0);
      assertPageHeaders(last!.response);

      // Even the right password is refused while the address is throttled.
      const blocked = await browser.fetch(`${server.base}/login`, {
        form: { ...form, username: user.username, password: PASSWORD },
      });
      assert.equal(blocked.response.status, 429);
      assert.equal(browser.cookies.get('authly_session'), undefined);
    });
  });
}
