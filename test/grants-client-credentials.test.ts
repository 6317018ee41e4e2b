/**
 * grant_type=client_credentials through two real client libraries, with the access token verified
 * as a resource server would: against the published JWKS, as an RFC 9068 JWT.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import type { Client } from '../src/store/types.js';
import { verifyAccessToken } from '../src/tokens/access-token.js';
import { testEngines } from './helpers/engines.js';
import {
  addClient,
  authorizationServer,
  basicAuth,
  insecure,
  openidConfig,
  postToken,
  startTokenServer,
  type TokenServer,
} from './helpers/token-server.js';

for (const engine of testEngines()) {
  describe(`client_credentials grant (${engine})`, () => {
    let server: TokenServer;
    let machine: { client: Client; secret: string };

    before(async () => {
      server = await startTokenServer(engine);
      machine = await addClient(server.ctx, {
        grantTypes: ['client_credentials'],
        scopes: ['api:read', 'api:write', 'openid', 'offline_access'],
      });
    });
    after(() => server.close());

    async function verify(token: string) {
      const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
      return jwtVerify(token, jwks, {
        issuer: server.issuer,
        audience: server.issuer,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
      });
    }

    test('oauth4webapi gets an RFC 9068 access token that verifies against the JWKS', async () => {
      const as = authorizationServer(server);
      const client = { client_id: machine.client.clientId };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(machine.secret),
        { scope: 'api:read' },
        insecure,
      );
      const tokens = await oauth.processClientCredentialsResponse(as, client, response);

      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'api:read');
      assert.equal(tokens.refresh_token, undefined);
      assert.equal(tokens.id_token, undefined);
      assert.equal(tokens.expires_in, server.ctx.config.accessTokenTtl);

      const { payload, protectedHeader } = await verify(tokens.access_token);
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.equal(typeof protectedHeader.kid, 'string');
      // RFC 9068 §2.2: without a user, sub is the client itself.
      assert.equal(payload.sub, machine.client.clientId);
      assert.equal(payload.client_id, machine.client.clientId);
      assert.equal(payload.scope, 'api:read');
      assert.equal(payload.exp! - payload.iat!, server.ctx.config.accessTokenTtl);
      assert.equal(typeof payload.jti, 'string');
    });

    test('openid-client gets the same, each jti distinct', async () => {
      const auth = openid.ClientSecretBasic(machine.secret);
      const config = openidConfig(server, machine.client.clientId, auth);
      const first = await openid.clientCredentialsGrant(config, { scope: 'api:read api:write' });
      const second = await openid.clientCredentialsGrant(config);

      const a = await verify(first.access_token);
      const b = await verify(second.access_token);
      assert.equal(a.payload.scope, 'api:read api:write');
      assert.notEqual(a.payload.jti, b.payload.jti);
      assert.equal(decodeProtectedHeader(first.access_token).alg, 'ES256');
    });

    test('without a scope the client gets its own scopes, none of the user ones', async () => {
      const response = await postToken(
        server,
        { grant_type: 'client_credentials' },
        basicAuth(machine.client.clientId, machine.secret),
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.scope, 'api:read api:write');
      assert.equal(response.body.refresh_token, undefined);
      const { payload } = await verify(response.body.access_token as string);
      assert.equal(payload.scope, 'api:read api:write');
    });

    test("the server's own verifyAccessToken accepts the token", async () => {
      const response = await postToken(
        server,
        { grant_type: 'client_credentials', scope: 'api:write' },
        basicAuth(machine.client.clientId, machine.secret),
      );
      const claims = await verifyAccessToken(server.ctx, response.body.access_token as string);
      assert.equal(claims?.sub, machine.client.clientId);
      assert.equal(claims?.scope, 'api:write');
    });

    for (const scope of ['api:admin', 'api:read api:admin', 'openid', 'offline_access']) {
      test(`a scope outside the client's (${scope}) answers invalid_scope`, async () => {
        const response = await postToken(
          server,
          { grant_type: 'client_credentials', scope },
          basicAuth(machine.client.clientId, machine.secret),
        );
        assert.equal(response.status, 400);
        assert.deepEqual(Object.keys(response.body).sort(), ['error', 'error_description']);
        assert.equal(response.body.error, 'invalid_scope');
        assert.equal(response.headers.get('cache-control'), 'no-store');
      });
    }

    test('oauth4webapi surfaces invalid_scope as a ResponseBodyError', async () => {
      const as = authorizationServer(server);
      const client = { client_id: machine.client.clientId };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(machine.secret),
        { scope: 'api:admin' },
        insecure,
      );
      await assert.rejects(
        oauth.processClientCredentialsResponse(as, client, response),
        (error: unknown) =>
          error instanceof oauth.ResponseBodyError &&
          error.error === 'invalid_scope' &&
          error.status === 400,
      );
    });
  });
}
