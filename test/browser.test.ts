/**
 * The whole sign-in in a real browser (Debian's chromium through playwright-core), with
 * openid-client as the relying party: discovery, an authorization URL with PKCE, nonce and state,
 * the user typing into the real sign-in page and approving the real consent page, the code
 * arriving at the client's own HTTP server, the code exchange with the ID token checked, and
 * userinfo. Then single sign-on (no pages the second time) and RP-initiated logout.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as openid from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import type { Client, StoreEngine, User } from '../src/store/types.js';
import { freshDatabaseUrl, testEngines } from './helpers/engines.js';
import { freePort } from './helpers/free-port.js';
import { addClient, addUser } from './helpers/token-server.js';

const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'a long and fine passphrase';

/** A request that reached the relying party's redirect URI. */
interface Hit {
  method: string;
  url: URL;
  /** The form body of a POST (form_post responses). */
  body: string;
}

/** The relying party's redirect URI: a plain server that records each request it gets. */
async function startCallback(): Promise<{ server: HttpServer; url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      // The browser also asks for /favicon.ico: only the redirect URI counts.
      if (url.pathname === '/callback') {
        hits.push({ method: request.method ?? '', url, body: Buffer.concat(parts).toString() });
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Back at the app</title><p>Back at the app</p>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/callback`, hits };
}

async function startAuthly(engine: StoreEngine): Promise<{ app: App; issuer: string }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const databaseUrl = await freshDatabaseUrl(engine);
  const config = loadConfig({ DATABASE_URL: databaseUrl, AUTHLY_ISSUER: issuer });
  const app = await createApp(config, { logger: createLogger('silent') });
  await app.server.listen({ port, host: '127.0.0.1' });
  return { app, issuer };
}

/** What the relying party keeps between sending the user away and the user coming back. */
interface PendingLogin {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

async function startLogin(
  config: openid.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<PendingLogin> {
  const verifier = openid.randomPKCECodeVerifier();
  const nonce = openid.randomNonce();
  const state = openid.randomState();
  const url = openid.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await openid.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

/** The code exchange and ID token checks, as openid-client does them. */
function finishLogin(
  config: openid.Configuration,
  response: URL | Request,
  pending: PendingLogin,
) {
  return openid.authorizationCodeGrant(config, response, {
    pkceCodeVerifier: pending.verifier,
    expectedNonce: pending.nonce,
    expectedState: pending.state,
    idTokenExpected: true,
  });
}

// Under CI the browser must be there; elsewhere its absence is reported as a skip.
const ci = process.env.CI === 'true' || process.env.CI === '1';
const skip = !ci && !existsSync(CHROMIUM) && `${CHROMIUM} is not installed`;

describe('sign-in in a real browser', { skip }, () => {
  let browser: Browser;

  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  after(() => browser?.close());

  for (const engine of testEngines()) {
    describe(engine, () => {
      let authly: { app: App; issuer: string };
      let callback: Awaited<ReturnType<typeof startCallback>>;
      let client: Client;
      let user: User;
      let config: openid.Configuration;

      before(async () => {
        authly = await startAuthly(engine);
        callback = await startCallback();
        let secret: string;
        ({ client, secret } = await addClient(authly.app.ctx, {
          name: 'Browser Test App',
          redirectUris: [callback.url],
        }));
        user = await addUser(authly.app.ctx, PASSWORD);
        config = await openid.discovery(
          new URL(authly.issuer),
          client.clientId,
          undefined,
          openid.ClientSecretBasic(secret),
          { execute: [openid.allowInsecureRequests] },
        );
      });

      after(async () => {
        await authly?.app.close();
        callback?.server.close();
      });

      test('sign in, consent, code, tokens, userinfo; then SSO and logout', async () => {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          const first = await startLogin(config, callback.url);
          await page.goto(first.url.href);

          // The sign-in page, filled in as a person would.
          await page.waitForURL((url) => url.pathname === '/login');
          assert.match(await page.textContent('main') ?? '', /Browser Test App/);
          await page.fill('#username', user.username);
          await page.fill('#password', PASSWORD);
          await page.click('button[type=submit]');

          // The consent page lists the scopes in plain words.
          await page.waitForURL((url) => url.pathname === '/consent');
          const consentText = (await page.textContent('main')) ?? '';
          for (const words of ['Sign you in', 'Your name and profile', 'Your email address']) {
            assert.ok(consentText.includes(words), words);
          }
          await page.click('button[value=approve]');

          await page.waitForURL((url) => url.href.startsWith(callback.url));
          const arrived = new URL(page.url());
          assert.equal(arrived.searchParams.get('iss'), authly.issuer);
          assert.equal(arrived.searchParams.get('state'), first.state);
          assert.match(arrived.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
          assert.equal(callback.hits.length, 1);

          const tokens = await finishLogin(config, new URL(page.url()), first);
          const claims = tokens.claims();
          assert.equal(claims?.sub, user.id);
          assert.equal(claims?.nonce, first.nonce);
          assert.equal(claims?.aud, client.clientId);
          const info = await openid.fetchUserInfo(config, tokens.access_token, user.id);
          assert.equal(info.email, user.email);
          assert.equal(info.name, user.name);
          assert.equal(info.preferred_username, user.username);

          // Signed in and consented: the next login shows no page at all.
          const second = await startLogin(config, callback.url);
          await page.goto(second.url.href);
          await page.waitForURL((url) => url.href.startsWith(callback.url));
          assert.equal(callback.hits.length, 2);
          const again = await finishLogin(config, new URL(page.url()), second);
          assert.equal(again.claims()?.sub, user.id);

          // form_post: the page's auto-submit script runs under its CSP hash and posts the code.
          const posted = await startLogin(config, callback.url, { response_mode: 'form_post' });
          await page.goto(posted.url.href);
          await page.waitForURL((url) => url.href.startsWith(callback.url));
          const hit = callback.hits.at(-1)!;
          assert.equal(callback.hits.length, 3);
          assert.equal(hit.method, 'POST');
          const request = new Request(callback.url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: hit.body,
          });
          assert.equal((await finishLogin(config, request, posted)).claims()?.sub, user.id);

          // RP-initiated logout ends the session: the next login asks for the password.
          const logout = openid.buildEndSessionUrl(config, {
            id_token_hint: again.id_token!,
            post_logout_redirect_uri: callback.url,
            state: 'after-logout',
          });
          await page.goto(logout.href);
          await page.waitForURL((url) => url.searchParams.get('state') === 'after-logout');
          const third = await startLogin(config, callback.url);
          await page.goto(third.url.href);
          await page.waitForURL((url) => url.pathname === '/login');
        } finally {
          await context.close();
        }
      });
    });
  }
});
