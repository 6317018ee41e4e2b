/**
 * Bad input across the HTTP layer: every client mistake is a 4xx with an OAuth error body (or an
 * HTML page on HTML routes), never a 500; the server's own failures are a generic 500 whose cause
 * is logged, never sent.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { formParams } from '../src/http/params.js';
import { REDACTED_PATHS } from '../src/http/logger.js';
import { BODY_LIMIT } from '../src/http/server.js';
import { freshDatabaseUrl, testEngines } from './helpers/engines.js';
import {
  assertOAuthError,
  clientCredentialsToken,
  introspect,
  postForm,
  startCast,
  type Registered,
} from './helpers/issued-tokens.js';
import { addClient, basicAuth, type TokenServer } from './helpers/token-server.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request through node:http, for what fetch will not send: chunked bodies, no content type. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const method = options.method ?? 'POST';
    const request = httpRequest(url, { method, headers: options.headers });
    request.on('error', reject);
    request.on('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(parts).toString(),
        }),
      );
    });
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end();
  });
}

/** Bytes written straight to the socket, for requests Node's HTTP parser refuses. */
function rawSocket(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    const parts: Buffer[] = [];
    socket.on('data', (part) => parts.push(part));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(parts).toString()));
  });
}

/** Asserts an OAuth error carried in a raw answer. */
function assertRawError(answer: RawAnswer, status: number, error: string): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  const body = JSON.parse(answer.body);
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
  assert.equal(body.error, error);
}

const FORM_ENDPOINTS = ['/token', '/revoke', '/introspect'];

/** A request each form endpoint would accept, so that only the fault under test is wrong. */
const VALID_FORM: Record<string, string> = {
  '/token': 'grant_type=client_credentials',
  '/revoke': 'token=abc',
  '/introspect': 'token=abc',
};

for (const engine of testEngines()) {
  describe(`bad input at the form endpoints (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let auth: Record<string, string>;

    before(async () => {
      ({ server, rp } = await startCast(engine));
      auth = basicAuth(rp.client.clientId, rp.secret);
    });
    after(() => server.close());

    for (const path of FORM_ENDPOINTS) {
      test(`${path}: a body over the limit is 413 invalid_request, sized or chunked`, async () => {
        const big = `${VALID_FORM[path]}&pad=${'x'.repeat(BODY_LIMIT)}`;
        await assertOAuthError(await postForm(server, path, big, auth), 413, 'invalid_request');

        const chunk = Buffer.alloc(16 * 1024, 'x');
        const chunked = await rawRequest(`${server.issuer}${path}`, {
          headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
          chunks: [Buffer.from('pad='), ...Array(6).fill(chunk)],
        });
        assertRawError(chunked, 413, 'invalid_request');
      });

      test(`${path}: a body that is not a form is 400 invalid_request`, async () => {
        const url = `${server.issuer}${path}`;
        for (const [type, body] of [
          ['application/xml', '<token>abc</token>'],
          ['application/json', '{"token":"abc","grant_type":"client_credentials"}'],
          ['application/json', '{"token":'],
          ['text/plain', VALID_FORM[path]],
          ['multipart/form-data; boundary=x', '--x--'],
        ]) {
          const response = await fetch(url, {
            method: 'POST',
            headers: { ...auth, 'content-type': type },
            body,
          });
          await assertOAuthError(response, 400, 'invalid_request');
        }

        const untyped = await rawRequest(url, {
          headers: auth,
          chunks: [Buffer.from(VALID_FORM[path])],
        });
        assertRawError(untyped, 400, 'invalid_request');
      });

      test(`${path}: malformed form encoding is 400 invalid_request`, async () => {
        const valid = VALID_FORM[path];
        for (const body of [
          `${valid}&x=%zz`,
          `${valid}&x=%`,
          `${valid}&x=%FF%FE`,
          Buffer.concat([Buffer.from(`${valid}&x=`), Buffer.from([0xff, 0xfe])]),
        ]) {
          const response = await postForm(server, path, body, auth);
          await assertOAuthError(response, 400, 'invalid_request');
        }
      });

      test(`${path}: a repeated parameter is 400 invalid_request`, async () => {
        const body = `${VALID_FORM[path]}&${VALID_FORM[path]}`;
        await assertOAuthError(await postForm(server, path, body, auth), 400, 'invalid_request');
      });

      test(`${path}: other methods are 405 with Allow: POST`, async () => {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const response = await fetch(`${server.issuer}${path}`, { method });
          const headers = await assertOAuthError(response, 405, 'invalid_request');
          assert.equal(headers.get('allow'), 'POST');
        }
      });
    }

    for (const path of ['/revoke', '/introspect']) {
      test(`${path}: without token it is 400 invalid_request`, async () => {
        await assertOAuthError(await postForm(server, path, {}, auth), 400, 'invalid_request');
      });

      test(`${path}: failed client authentication is 401 and has no effect`, async () => {
        const token = await clientCredentialsToken(server, rp);
        const anonymous = await postForm(server, path, { token });
        await assertOAuthError(anonymous, 401, 'invalid_client');

        const wrong = basicAuth(rp.client.clientId, 'wrong');
        const headers = await assertOAuthError(
          await postForm(server, path, { token }, wrong),
          401,
          'invalid_client',
        );
        assert.equal(headers.get('www-authenticate'), 'Basic realm="authly"');
        assert.equal((await introspect(server, rp, token)).active, true);
      });
    }

    test('userinfo: other methods are 405 with Allow listing GET, HEAD and POST', async () => {
      const response = await fetch(`${server.issuer}/userinfo`, { method: 'DELETE' });
      const headers = await assertOAuthError(response, 405, 'invalid_request');
      assert.equal(headers.get('allow'), 'GET, HEAD, POST');
    });

    test('an unknown path is 404 with an error body', async () => {
      const response = await fetch(`${server.issuer}/no/such/endpoint`);
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error, 'not_found');
    });

    test('a path that is not validly percent-encoded is 400 invalid_request', async () => {
      for (const path of ['/%zz', '/userinfo%E0']) {
        await assertOAuthError(await fetch(`${server.issuer}${path}`), 400, 'invalid_request');
      }
    });

    test('headers too large for the server are 431 with an OAuth error body', async () => {
      const answer = await rawRequest(`${server.issuer}/token`, {
        headers: { ...auth, 'x-padding': 'x'.repeat(64 * 1024) },
      });
      assertRawError(answer, 431, 'invalid_request');
    });

    test('long header values the server accepts are judged, not crashed on', async () => {
      const long = 'A'.repeat(12 * 1024);
      const userinfo = await fetch(`${server.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${long}` },
      });
      await assertOAuthError(userinfo, 401, 'invalid_token');

      const token = await postForm(server, '/token', VALID_FORM['/token'], {
        authorization: `Basic ${long}`,
      });
      await assertOAuthError(token, 401, 'invalid_client');
    });

    test('a request Node cannot parse is 400 with an OAuth error body', async () => {
      const answer = await rawSocket(server.issuer, 'NOT AN HTTP REQUEST\r\n\r\n');
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 400 /);
      assert.equal(JSON.parse(body).error, 'invalid_request');
    });
  });

  describe(`server failures and HTML routes (${engine})`, () => {
    let app: App;
    let base: string;
    const lines: Record<string, unknown>[] = [];

    before(async () => {
      const config = loadConfig({ DATABASE_URL: await freshDatabaseUrl(engine) });
      const logger = pino(
        { level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
        { write: (line: string) => void lines.push(JSON.parse(line)) },
      );
      app = await createApp(config, { logger });
      // An HTML form route like the sign-in and consent pages, so that the error layer's page
      // rendering is checked apart from any one page's own logic.
      const page = { config: { html: true } };
      app.server.get('/test/page', page, async () => 'page');
      app.server.post('/test/page', page, async (request) => formParams(request));
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    });
    after(() => app.close());

    /** Asserts an HTML error page with the status, and that no error JSON leaked into it. */
    async function assertPage(response: Response, status: number): Promise<string> {
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const html = await response.text();
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /role="alert"/);
      return html;
    }

    test('HTML routes answer bad input with an HTML page', async () => {
      const url = `${base}/test/page`;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      await assertPage(await fetch(url, { method: 'POST', headers: form, body: 'a=%zz' }), 400);
      await assertPage(await fetch(url, { method: 'POST', headers: form, body: 'a=1&a=2' }), 400);
      const xml = { 'content-type': 'application/xml' };
      await assertPage(await fetch(url, { method: 'POST', headers: xml, body: '<a/>' }), 400);
      const big = `a=${'x'.repeat(BODY_LIMIT)}`;
      await assertPage(await fetch(url, { method: 'POST', headers: form, body: big }), 413);

      const wrongMethod = await fetch(url, { method: 'PUT' });
      await assertPage(wrongMethod, 405);
      assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD, POST');
    });

    test('a store failure is a generic 500 with the cause logged, not sent', async () => {
      const { client, secret } = await addClient(app.ctx, { grantTypes: ['client_credentials'] });
      await app.ctx.store.close();

      const response = await fetch(`${base}/introspect`, {
        method: 'POST',
        headers: {
          ...basicAuth(client.clientId, secret),
          'content-type': 'application/x-www-form-urlencoded',
          'x-request-id': 'failing-request',
        },
        body: 'token=abc',
      });
      const text = await response.text();
      assert.equal(response.status, 500);
      assert.deepEqual(JSON.parse(text), {
        error: 'server_error',
        error_description: 'the server failed to process the request',
      });
      assert.doesNotMatch(text, /\bat |\.js:\d+/);

      const failure = lines.find((line) => line.reqId === 'failing-request' && line.level === 50);
      assert.ok(failure, 'the failure is logged at error level with the request id');
      const err = failure.err as { message?: string; stack?: string };
      assert.ok(err.message && err.stack, 'the log carries the cause and its stack');
      assert.ok(!JSON.stringify(lines).includes(secret), 'the client secret is never logged');
    });
  });
}
