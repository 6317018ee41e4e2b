/**
 * The token endpoint itself: body parsing, client authentication, grant dispatch, and the headers
 * and error bodies every answer carries (RFC 6749 §2.3, §3.2, §5.1, §5.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256 } from '../src/crypto/hash.js';
import { InvalidClient } from '../src/oauth/errors.js';
import type { Client } from '../src/store/types.js';
import { testEngines } from './helpers/engines.js';
import {
  addClient,
  assertOAuthError,
  basicAuth,
  postToken,
  startTokenServer,
  type TokenServer,
} from './helpers/token-server.js';


const FIXED_INVALID_CLIENT = new InvalidClient().description;

for (const engine of testEngines()) {
  describe(`token endpoint (${engine})`, () => {
    let server: TokenServer;
    let basic: { client: Client; secret: string };
    let post: { client: Client; secret: string };
    let publicClient: Client;

    before(async () => {
      server = await startTokenServer(engine);
      basic = await addClient(server.ctx, { grantTypes: ['client_credentials'] });
      post = await addClient(server.ctx, {
        grantTypes: ['client_credentials'],
        authMethod: 'client_secret_post',
      });
      publicClient = (await addClient(server.ctx, { authMethod: 'none' })).client;
    });
    after(() => server.close());

    const grant = { grant_type: 'client_credentials' };

    test('a successful answer is JSON with no-store and no-cache', async () => {
      const auth = basicAuth(basic.client.clientId, basic.secret);
      const response = await postToken(server, grant, auth);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('pragma'), 'no-cache');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.body.token_type, 'Bearer');
    });

    test('Basic credentials are form-url-decoded (RFC 6749 §2.3.1)', async () => {
      const secret = 'p@ss:w+rd /%x';
      const odd = await addClient(server.ctx, {
        clientId: `svc app:${Date.now()}`,
        secretHash: sha256(secret),
        grantTypes: ['client_credentials'],
      });
      const response = await postToken(server, grant, basicAuth(odd.client.clientId, secret));
      assert.equal(response.status, 200);
    });

    test('a wrong Basic secret answers 401 invalid_client with WWW-Authenticate', async () => {
      const response = await postToken(server, grant, basicAuth(basic.client.clientId, 'wrong'));
      assertOAuthError(response, 401, 'invalid_client');
      assert.equal(response.body.error_description, FIXED_INVALID_CLIENT);
      assert.equal(response.headers.get('www-authenticate'), 'Basic realm="authly"');
    });

    test('an unknown client over Basic answers exactly like a wrong secret', async () => {
      const unknown = await postToken(server, grant, basicAuth('nobody', basic.secret));
      const wrong = await postToken(server, grant, basicAuth(basic.client.clientId, 'wrong'));
      assertOAuthError(unknown, 401, 'invalid_client');
      assert.deepEqual(unknown.body, wrong.body);
      assert.equal(unknown.headers.get('www-authenticate'), 'Basic realm="authly"');
    });

    test('a malformed Authorization header answers 401 invalid_client', async () => {
      const response = await postToken(server, grant, { authorization: 'Basic !!!' });
      assertOAuthError(response, 401, 'invalid_client');
      assert.equal(response.headers.get('www-authenticate'), 'Basic realm="authly"');
    });

    test('a wrong client_secret_post secret answers 401 invalid_client', async () => {
      const response = await postToken(server, {
        ...grant,
        client_id: post.client.clientId,
        client_secret: 'wrong',
      });
      assertOAuthError(response, 401, 'invalid_client');
      assert.equal(response.body.error_description, FIXED_INVALID_CLIENT);
    });

    test('client_secret_post with the right secret succeeds', async () => {
      const response = await postToken(server, {
        ...grant,
        client_id: post.client.clientId,
        client_secret: post.secret,
      });
      assert.equal(response.status, 200);
    });

    test('two authentication methods at once answer invalid_request', async () => {
      const response = await postToken(
        server,
        { ...grant, client_id: basic.client.clientId, client_secret: basic.secret },
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('a method other than the registered one answers 401 invalid_client', async () => {
      const viaPost = await postToken(server, {
        ...grant,
        client_id: basic.client.clientId,
        client_secret: basic.secret,
      });
      assertOAuthError(viaPost, 401, 'invalid_client');

      const viaBasic = await postToken(server, grant, basicAuth(post.client.clientId, post.secret));
      assertOAuthError(viaBasic, 401, 'invalid_client');
      assert.equal(viaBasic.headers.get('www-authenticate'), 'Basic realm="authly"');

      const withoutSecret = await postToken(server, { ...grant, client_id: basic.client.clientId });
      assertOAuthError(withoutSecret, 401, 'invalid_client');
    });

    test('a request without any client answers 401 invalid_client', async () => {
      assertOAuthError(await postToken(server, grant), 401, 'invalid_client');
    });

    test('an unknown grant_type answers unsupported_grant_type', async () => {
      const response = await postToken(
        server,
        { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' },
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(response, 400, 'unsupported_grant_type');
    });

    test('a missing grant_type answers invalid_request', async () => {
      const response = await postToken(server, {}, basicAuth(basic.client.clientId, basic.secret));
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('a grant the client is not registered for answers unauthorized_client', async () => {
      const response = await postToken(
        server,
        { grant_type: 'refresh_token', refresh_token: 'x' },
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(response, 400, 'unauthorized_client');
    });

    test('a public client is refused client_credentials', async () => {
      const withGrant = await addClient(server.ctx, {
        authMethod: 'none',
        grantTypes: ['client_credentials'],
      });
      const response = await postToken(server, { ...grant, client_id: withGrant.client.clientId });
      assertOAuthError(response, 400, 'unauthorized_client');

      const without = await postToken(server, { ...grant, client_id: publicClient.clientId });
      assertOAuthError(without, 400, 'unauthorized_client');
    });

    test('a repeated parameter answers invalid_request', async () => {
      const response = await postToken(
        server,
        'grant_type=client_credentials&scope=api:read&scope=api:write',
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(response, 400, 'invalid_request');

      // The description names the parameter, within the characters RFC 6749 §5.2 allows.
      const odd = await postToken(
        server,
        'grant_type=client_credentials&%22caf%C3%A9%5C=1&%22caf%C3%A9%5C=2',
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(odd, 400, 'invalid_request');
      assert.match(odd.body.error_description as string, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
    });

    test('a JSON body answers invalid_request', async () => {
      const response = await postToken(server, JSON.stringify(grant), {
        'content-type': 'application/json',
        ...basicAuth(basic.client.clientId, basic.secret),
      });
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('a malformed JSON body answers 400, not 500', async () => {
      const response = await postToken(server, '{"grant_type":', {
        'content-type': 'application/json',
      });
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('an unknown content type answers 400 invalid_request as an OAuth error', async () => {
      const response = await postToken(server, '<grant/>', {
        'content-type': 'application/xml',
        ...basicAuth(basic.client.clientId, basic.secret),
      });
      // RFC 6749 §5.2 gives invalid_request the status 400; the HTTP layer answers alike.
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('an empty body answers invalid_request', async () => {
      const response = await postToken(server, '', basicAuth(basic.client.clientId, basic.secret));
      assertOAuthError(response, 400, 'invalid_request');
    });

    test('an oversized body answers 413 as an OAuth error', async () => {
      const response = await postToken(
        server,
        `grant_type=client_credentials&scope=${'a'.repeat(70 * 1024)}`,
        basicAuth(basic.client.clientId, basic.secret),
      );
      assertOAuthError(response, 413, 'invalid_request');
    });
  });
}
