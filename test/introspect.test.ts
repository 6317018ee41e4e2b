/**
 * POST /introspect (RFC 7662) through oauth4webapi and openid-client: live tokens are described,
 * anything else is exactly `{"active": false}`, and only authenticated confidential clients ask.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as openid from 'openid-client';
import { sha256 } from '../src/crypto/hash.js';
import { signJwt } from '../src/crypto/jwt.js';
import { rotateKeys } from '../src/crypto/key-ring.js';
import type { User } from '../src/store/types.js';
import { testEngines } from './helpers/engines.js';
import {
  assertOAuthError,
  clientCredentialsToken,
  introspect,
  jwtClaims,
  later,
  openidConfig,
  postForm,
  refresh,
  startCast,
  userTokens,
  type Registered,
} from './helpers/issued-tokens.js';
import { basicAuth, type TokenServer } from './helpers/token-server.js';

const INACTIVE = { active: false };

for (const engine of testEngines()) {
  describe(`token introspection (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let resourceServer: Registered;
    let publicRp: Registered;
    let user: User;

    before(async () => {
      ({ server, rp, other: resourceServer, publicRp, user } = await startCast(engine));
    });
    after(() => server.close());

    test("a user's access token is described by its own claims", async () => {
      const tokens = await userTokens(server, rp, user, ['openid', 'profile', 'offline_access']);
      const issued = jwtClaims(tokens.accessToken);
      const answer = await introspect(server, rp, tokens.accessToken);

      assert.deepEqual(answer, {
        active: true,
        scope: issued.scope,
        client_id: rp.client.clientId,
        username: user.username,
        token_type: 'Bearer',
        exp: issued.exp,
        iat: issued.iat,
        sub: tokens.sub,
        aud: server.issuer,
        iss: server.issuer,
        jti: issued.jti,
      });
      assert.equal(answer.sub, user.id);
    });

    test('a client_credentials token names the client and no username', async () => {
      const token = await clientCredentialsToken(server, rp);
      const answer = await introspect(server, rp, token);
      assert.equal(answer.active, true);
      assert.equal(answer.sub, rp.client.clientId);
      assert.equal(answer.client_id, rp.client.clientId);
      assert.equal(answer.username, undefined);
    });

    test('a live refresh token is described; once rotated it is inactive', async () => {
      const tokens = await userTokens(server, rp, user, ['openid', 'offline_access']);
      const stored = await server.ctx.store.refreshTokens.find(sha256(tokens.refreshToken!));
      const answer = await introspect(server, rp, tokens.refreshToken!);
      assert.deepEqual(answer, {
        active: true,
        scope: 'openid offline_access',
        client_id: rp.client.clientId,
        username: user.username,
        token_type: 'refresh_token',
        exp: Math.floor(stored!.expiresAt.getTime() / 1000),
        iat: Math.floor(stored!.issuedAt.getTime() / 1000),
        sub: user.id,
        iss: server.issuer,
      });

      const next = await refresh(server, rp, tokens.refreshToken!);
      assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), INACTIVE);
      assert.equal((await introspect(server, rp, next.refresh_token!)).active, true);
    });

    test('a resource server (another confidential client) may introspect', async () => {
      const tokens = await userTokens(server, rp, user, ['openid']);
      const answer = await introspect(server, resourceServer, tokens.accessToken);
      assert.equal(answer.active, true);
      assert.equal(answer.client_id, rp.client.clientId);
    });

    test('openid-client tokenIntrospection reads the same answer', async () => {
      const token = await clientCredentialsToken(server, rp);
      const answer = await openid.tokenIntrospection(openidConfig(server, resourceServer), token);
      assert.equal(answer.active, true);
      assert.equal(answer.jti, jwtClaims(token).jti);
    });

    test('an expired access token is inactive', async () => {
      const token = await clientCredentialsToken(server, rp);
      await later(server, server.ctx.config.accessTokenTtl, async () => {
        assert.deepEqual(await introspect(server, rp, token), INACTIVE);
      });
      assert.equal((await introspect(server, rp, token)).active, true);
    });

    test('an expired refresh token is inactive', async () => {
      const tokens = await userTokens(server, rp, user, ['openid', 'offline_access']);
      await later(server, server.ctx.config.refreshTokenTtl, async () => {
        assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), INACTIVE);
      });
    });

    test('a revoked access token and a revoked refresh family are inactive', async () => {
      const tokens = await userTokens(server, rp, user, ['openid', 'offline_access']);
      const config = openidConfig(server, rp);
      await openid.tokenRevocation(config, tokens.accessToken);
      await openid.tokenRevocation(config, tokens.refreshToken!);
      assert.deepEqual(await introspect(server, rp, tokens.accessToken), INACTIVE);
      assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), INACTIVE);
    });

    test('malformed, unknown and forged tokens are inactive', async () => {
      const genuine = await clientCredentialsToken(server, rp);
      const [header, payload, signature] = genuine.split('.');
      const claims = jwtClaims(genuine);
      const tampered = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString(
        'base64url',
      );
      // Signed with a key that is not the server's, under the server's own kid.
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
      const foreign = signJwt({ alg: 'ES256', kid, typ: 'at+jwt' }, claims, stranger);

      for (const token of [
        'garbage',
        'a.b.c',
        `${header}.${tampered}.${signature}`,
        foreign,
        'x'.repeat(5000),
      ]) {
        assert.deepEqual(await introspect(server, rp, token), INACTIVE, token.slice(0, 40));
      }
    });

    test('a public client cannot introspect (401 invalid_client)', async () => {
      const token = await clientCredentialsToken(server, rp);
      const response = await postForm(server, '/introspect', {
        token,
        client_id: publicRp.client.clientId,
      });
      await assertOAuthError(response, 401, 'invalid_client');
    });

    test('answers are JSON and never cached', async () => {
      const auth = basicAuth(rp.client.clientId, rp.secret);
      const response = await postForm(server, '/introspect', { token: 'unknown' }, auth);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), INACTIVE);
    });

    // The last test of the suite: it retires the signing keys.
    test('a token seen active before still ends at its expiry and with its key', async () => {
      const token = await clientCredentialsToken(server, rp);
      assert.equal((await introspect(server, rp, token)).active, true);
      await later(server, server.ctx.config.accessTokenTtl, async () => {
        assert.deepEqual(await introspect(server, rp, token), INACTIVE);
      });
      assert.equal((await introspect(server, rp, token)).active, true);

      const { store, config, clock } = server.ctx;
      await rotateKeys(store, config.keyEncryptionSecret, 0, clock());
      await server.ctx.keys.reload();
      assert.deepEqual(await introspect(server, rp, token), INACTIVE);
      const fresh = await clientCredentialsToken(server, rp);
      assert.equal((await introspect(server, rp, fresh)).active, true);
    });
  });
}
