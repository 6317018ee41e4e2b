/**
 * Signing keys (issue #2): private keys encrypted at rest when AUTHLY_KEY_ENCRYPTION_SECRET is
 * set, a clear start-up error when the secret is missing or wrong, and `authly keys rotate`
 * keeping a replaced key in the JWKS exactly as long as tokens it signed may still be valid.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import { assertRefused, authly, select } from './helpers/cli.js';
import { freshDatabaseUrl, storedText, testEngines } from './helpers/engines.js';

const SECRET = 'a long enough key encryption secret';

for (const engine of testEngines()) {
  describe(`private keys encrypted at rest (${engine})`, () => {
    let env: Record<string, string>;
    let databaseUrl: string;

    before(async () => {
      databaseUrl = await freshDatabaseUrl(engine);
      env = { DATABASE_URL: databaseUrl, AUTHLY_KEY_ENCRYPTION_SECRET: SECRET };
      const rotated = await authly(['keys', 'rotate'], env);
      assert.equal(rotated.code, 0, rotated.stderr);
    });

    test('no private key is stored in plaintext', async () => {
      const rows = await select(databaseUrl, 'SELECT private_key, encrypted FROM signing_keys');
      assert.equal(rows.length, 4);
      for (const row of rows) {
        assert.equal(Boolean(row.encrypted), true);
        assert.match(String(row.private_key), /^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
      }
      const stored = await storedText(databaseUrl);
      assert.doesNotMatch(stored, /PRIVATE KEY|"d":/);
    });

    test('a wrong secret stops authly serve with one clear line', async () => {
      const wrong = { ...env, AUTHLY_KEY_ENCRYPTION_SECRET: 'not the secret it was made with' };
      assertRefused(
        await authly(['serve', '--port', '0'], wrong),
        1,
        'cannot decrypt the signing keys: AUTHLY_KEY_ENCRYPTION_SECRET is wrong',
      );
      assertRefused(
        await authly(['keys', 'rotate'], wrong),
        1,
        'cannot decrypt the signing keys: AUTHLY_KEY_ENCRYPTION_SECRET is wrong',
      );
    });

    test('no secret at all stops authly serve, saying which variable to set', async () => {
      assertRefused(
        await authly(['serve', '--port', '0'], { DATABASE_URL: databaseUrl }),
        1,
        'the signing keys are encrypted: set AUTHLY_KEY_ENCRYPTION_SECRET',
      );
    });

    test('with the right secret the server signs tokens the JWKS verifies', async () => {
      const config = loadConfig(env);
      const app = await createApp(config, { logger: createLogger('silent') });
      try {
        const jwks = (await app.server.inject('/.well-known/jwks.json')).json();
        assert.equal(jwks.keys.length, 4);
        const { kid } = app.ctx.keys.signingKey('ES256');
        assert.ok(jwks.keys.some((key: { kid: string }) => key.kid === kid));
      } finally {
        await app.close();
      }
    });
  });

  describe(`authly keys rotate (${engine})`, () => {
    /** Lifetimes short enough that a replaced key leaves the JWKS 60 + 300 s after rotation. */
    const ttl = { AUTHLY_ACCESS_TOKEN_TTL: '60', AUTHLY_ID_TOKEN_TTL: '30' };
    const publishedFor = 60 + 5 * 60;
    let env: Record<string, string>;
    let app: App;
    let offset = 0;
    let client: { client_id: string; client_secret: string };

    before(async () => {
      env = { DATABASE_URL: await freshDatabaseUrl(engine), ...ttl };
      const config = loadConfig(env);
      app = await createApp(config, {
        logger: createLogger('silent'),
        clock: () => new Date(Date.now() + offset),
      });
      const args = ['client', 'create', '--name', 'Job', '--grant-types', 'client_credentials'];
      client = JSON.parse((await authly([...args, '--scope', '', '--json'], env)).stdout);
    });

    after(() => app?.close());

    async function jwks(): Promise<JSONWebKeySet> {
      return (await app.server.inject('/.well-known/jwks.json')).json();
    }

    async function accessToken(): Promise<string> {
      const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
      const response = await app.server.inject({
        method: 'POST',
        url: '/token',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json().access_token;
    }

    test('the old keys stay published until their tokens expire, then leave the JWKS', async () => {
      const oldKids = (await jwks()).keys.map((key) => key.kid).sort();
      const oldToken = await accessToken();
      const oldKid = decodeProtectedHeader(oldToken).kid;
      assert.ok(oldKids.includes(oldKid));

      const rotated = await authly(['keys', 'rotate'], env);
      assert.equal(rotated.code, 0, rotated.stderr);
      await app.ctx.keys.reload(); // what each server does every minute

      // New tokens are signed with a new key; the token signed before still verifies.
      const newToken = await accessToken();
      const newKid = decodeProtectedHeader(newToken).kid;
      assert.notEqual(newKid, oldKid);
      const published = await jwks();
      assert.equal(published.keys.length, 4);
      for (const token of [oldToken, newToken]) {
        await jwtVerify(token, createLocalJWKSet(published), { algorithms: ['ES256'] });
      }

      // keys list tells when the old ones leave: the longest lifetime plus five minutes.
      const listed = JSON.parse((await authly(['keys', 'list', '--json'], env)).stdout);
      const retired = listed.filter((key: { status: string }) => key.status === 'published');
      assert.deepEqual(retired.map((key: { kid: string }) => key.kid).sort(), oldKids);
      for (const key of retired) {
        const leaves = Date.parse(key.leaves_jwks_at) - Date.parse(key.retired_at);
        assert.equal(leaves, publishedFor * 1000);
      }

      // Just before that moment they are still published; just after, they are gone.
      offset = (publishedFor - 5) * 1000;
      await app.ctx.keys.reload();
      assert.equal((await jwks()).keys.length, 4);

      offset = (publishedFor + 5) * 1000;
      await app.ctx.keys.reload();
      const remaining = await jwks();
      assert.deepEqual(remaining.keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
      assert.ok(remaining.keys.every((key) => !oldKids.includes(key.kid)));
    });
  });
}
