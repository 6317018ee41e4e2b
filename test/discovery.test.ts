/**
 * Discovery, JWKS, health and readiness (issue #2): `authly serve` started from an empty folder
 * as a user would start it, both metadata documents read by strict clients, every advertised
 * endpoint answering, the JWKS holding public keys only, and readiness following the database.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import postgres from 'postgres';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import { freshDatabaseUrl, tempDir, testEngines } from './helpers/engines.js';
import { freePort } from './helpers/free-port.js';
import { startServe } from './helpers/serve.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('authly serve from an empty folder', () => {
  const cwd = tempDir('authly-serve-');
  let child: ChildProcess;
  let issuer: string;

  before(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    ({ child } = await startServe(cwd, port));
  });

  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('creates ./data/authly.db and publishes the default issuer', async () => {
    assert.ok(existsSync(join(cwd, 'data', 'authly.db')));
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    assert.equal((await response.json()).issuer, issuer);
  });

  test('oauth4webapi accepts both metadata documents', async () => {
    for (const algorithm of ['oauth2', 'oidc'] as const) {
      const response = await oauth.discoveryRequest(new URL(issuer), { algorithm, ...insecure });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const metadata = await oauth.processDiscoveryResponse(new URL(issuer), response);
      assert.equal(metadata.issuer, issuer);
      assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(metadata.response_types_supported, ['code']);
      assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    }
  });

  test('the two documents are the same bytes', async () => {
    const oauth2 = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
    const oidc = await fetch(`${issuer}/.well-known/openid-configuration`);
    assert.equal(await oauth2.text(), await oidc.text());
  });

  test('openid-client discovers the server', async () => {
    const config = await openid.discovery(new URL(issuer), 'anyone', undefined, undefined, {
      execute: [openid.allowInsecureRequests],
    });
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, issuer);
    assert.equal(metadata.token_endpoint, `${issuer}/token`);
    assert.ok(metadata.supportsPKCE());
  });

  test('every advertised endpoint is served', async () => {
    const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    // Empty requests: each must be refused by the endpoint itself (an OAuth error or an error
    // page), never a 404 that would mean the document advertises a route that does not exist.
    const probes: [string, string][] = [
      ['GET', metadata.authorization_endpoint],
      ['POST', metadata.token_endpoint],
      ['GET', metadata.userinfo_endpoint],
      ['POST', metadata.revocation_endpoint],
      ['POST', metadata.introspection_endpoint],
      ['GET', metadata.end_session_endpoint],
      ['GET', metadata.jwks_uri],
    ];
    for (const [method, url] of probes) {
      assert.ok(url.startsWith(`${issuer}/`), url);
      const response = await fetch(url, { method, redirect: 'manual' });
      assert.notEqual(response.status, 404, `${method} ${url}`);
      assert.ok(response.status < 500, `${method} ${url}: ${response.status}`);
    }
    assert.deepEqual(metadata.grant_types_supported.sort(), [
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
    ]);
  });

  test('conditional and HEAD requests of the documents', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const first = await fetch(`${issuer}${path}`);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^"[\w-]+"$/);
      const again = await fetch(`${issuer}${path}`, { headers: { 'if-none-match': etag! } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
      const head = await fetch(`${issuer}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      const length = String((await first.arrayBuffer()).byteLength);
      assert.equal(head.headers.get('content-length'), length);
      // A query string falls through to the routes, which serve the same document.
      const queried = await fetch(`${issuer}${path}?x=1`);
      assert.equal(queried.status, 200);
      assert.equal(await queried.text(), await (await fetch(`${issuer}${path}`)).text());
    }
  });

  test('the JWKS holds public signing keys only', async () => {
    const response = await fetch(`${issuer}/.well-known/jwks.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
    for (const key of keys) {
      assert.equal(typeof key.kid, 'string');
      assert.equal(key.use, 'sig');
      for (const member of PRIVATE_MEMBERS) assert.equal(key[member], undefined, member);
    }
    assert.equal(new Set(keys.map((key) => key.kid)).size, keys.length);
  });

  test('health and readiness answer without caching', async () => {
    const health = await fetch(`${issuer}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${issuer}/ready`);
    assert.equal(ready.status, 200);
    assert.equal(ready.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await ready.json(), { status: 'ready', database: 'sqlite' });
  });

  test('SIGTERM stops it with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

for (const engine of testEngines()) {
  describe(`discovery and readiness (${engine})`, () => {
    let app: App;
    let origin: string;
    let databaseUrl: string;
    const issuer = 'https://auth.example.com';

    before(async () => {
      databaseUrl = await freshDatabaseUrl(engine);
      const config = loadConfig({ DATABASE_URL: databaseUrl, AUTHLY_ISSUER: issuer });
      app = await createApp(config, { logger: createLogger('silent') });
      origin = await app.server.listen({ port: 0, host: '127.0.0.1' });
    });

    after(() => app?.close());

    test('the issuer is published exactly as configured, in both documents', async () => {
      for (const path of ['oauth-authorization-server', 'openid-configuration']) {
        const response = await fetch(`${origin}/.well-known/${path}`);
        const metadata = await oauth.processDiscoveryResponse(new URL(issuer), response);
        assert.equal(metadata.issuer, issuer);
        assert.equal(metadata.token_endpoint, `${issuer}/token`);
      }
    });

    if (engine === 'sqlite') {
      // The embedded database is a file this process holds open: it becomes unusable when its
      // connection is lost, which closing the store reproduces.
      test('/ready answers 503 once the SQLite database is no longer usable', async () => {
        assert.equal((await fetch(`${origin}/ready`)).status, 200);
        await app.ctx.store.close();
        const down = await fetch(`${origin}/ready`);
        assert.equal(down.status, 503);
        assert.equal(down.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await down.json(), { status: 'unavailable', database: 'sqlite' });
        assert.equal((await fetch(`${origin}/health`)).status, 200);
      });
      return;
    }

    test('/ready answers 503 while the database refuses connections, 200 once back', async () => {
      const name = new URL(databaseUrl).pathname.slice(1);
      const admin = postgres(process.env.AUTHLY_TEST_POSTGRES_URL!, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
        const down = await fetch(`${origin}/ready`);
        assert.equal(down.status, 503);
        assert.deepEqual(await down.json(), { status: 'unavailable', database: 'postgres' });
        // Liveness does not depend on the database.
        assert.equal((await fetch(`${origin}/health`)).status, 200);

        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        const up = await fetch(`${origin}/ready`);
        assert.equal(up.status, 200);
      } finally {
        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.end();
      }
    });
  });
}
