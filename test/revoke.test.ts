/**
 * POST /revoke (RFC 7009) through oauth4webapi and openid-client: a client revokes its own access
 * and refresh tokens, cannot touch another client's, and always hears 200 with an empty body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { sha256 } from '../src/crypto/hash.js';
import type { User } from '../src/store/types.js';
import { testEngines } from './helpers/engines.js';
import {
  clientAuth,
  clientCredentialsToken,
  introspect,
  jwtClaims,
  later,
  openidConfig,
  refresh,
  startCast,
  userTokens,
  type Registered,
} from './helpers/issued-tokens.js';
import { authorizationServer, insecure, type TokenServer } from './helpers/token-server.js';

const OFFLINE = ['openid', 'profile', 'offline_access'];

for (const engine of testEngines()) {
  describe(`token revocation (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let other: Registered;
    let publicRp: Registered;
    let user: User;

    before(async () => {
      ({ server, rp, other, publicRp, user } = await startCast(engine));
    });
    after(() => server.close());

    /** Revokes through oauth4webapi and answers the raw response after the library accepted it. */
    async function revoke(as: Registered, token: string, hint?: string): Promise<Response> {
      const additionalParameters: Record<string, string> = hint ? { token_type_hint: hint } : {};
      const options = { ...insecure, additionalParameters };
      const response = await oauth.revocationRequest(
        authorizationServer(server),
        { client_id: as.client.clientId },
        clientAuth(as),
        token,
        options,
      );
      const copy = response.clone();
      await oauth.processRevocationResponse(response);
      return copy;
    }

    test('an access token, once revoked, is inactive and its jti denied', async () => {
      const tokens = await userTokens(server, rp, user, OFFLINE);
      assert.equal((await introspect(server, rp, tokens.accessToken)).active, true);

      const response = await revoke(rp, tokens.accessToken);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), '');
      assert.equal(response.headers.get('cache-control'), 'no-store');

      assert.deepEqual(await introspect(server, rp, tokens.accessToken), { active: false });
      const jti = jwtClaims(tokens.accessToken).jti as string;
      assert.equal(await server.ctx.store.revokedTokens.isRevoked(jti), true);
      // The refresh token of the same grant is a separate token and stays usable.
      assert.equal((await introspect(server, rp, tokens.refreshToken!)).active, true);
    });

    test('openid-client tokenRevocation revokes a client_credentials token', async () => {
      const token = await clientCredentialsToken(server, rp);
      await openid.tokenRevocation(openidConfig(server, rp), token);
      assert.deepEqual(await introspect(server, rp, token), { active: false });
    });

    test("another client's access token is left active, and the answer is still 200", async () => {
      const tokens = await userTokens(server, rp, user, OFFLINE);
      const response = await revoke(other, tokens.accessToken);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), '');

      assert.equal((await introspect(server, rp, tokens.accessToken)).active, true);
      const jti = jwtClaims(tokens.accessToken).jti as string;
      assert.equal(await server.ctx.store.revokedTokens.isRevoked(jti), false);
    });

    test("another client's refresh token is left active", async () => {
      const tokens = await userTokens(server, rp, user, OFFLINE);
      await openid.tokenRevocation(openidConfig(server, other), tokens.refreshToken!);
      assert.equal((await introspect(server, rp, tokens.refreshToken!)).active, true);
      const stored = await server.ctx.store.refreshTokens.find(sha256(tokens.refreshToken!));
      assert.equal(stored?.revokedAt, null);
    });

    test('revoking a refresh token revokes its whole family', async () => {
      const first = await userTokens(server, rp, user, OFFLINE);
      const second = (await refresh(server, rp, first.refreshToken!)).refresh_token!;

      const response = await revoke(rp, second, 'refresh_token');
      assert.equal(response.status, 200);

      assert.deepEqual(await introspect(server, rp, second), { active: false });
      for (const token of [first.refreshToken!, second]) {
        const stored = await server.ctx.store.refreshTokens.find(sha256(token));
        assert.ok(stored?.revokedAt instanceof Date, 'every token of the family is revoked');
      }
      await assert.rejects(refresh(server, rp, second), (error) => {
        assert.ok(error instanceof oauth.ResponseBodyError);
        assert.equal(error.error, 'invalid_grant');
        return true;
      });
    });

    test('the hint is not needed: a wrong or unknown hint still revokes the token', async () => {
      const access = await clientCredentialsToken(server, rp);
      await revoke(rp, access, 'refresh_token');
      assert.deepEqual(await introspect(server, rp, access), { active: false });

      const tokens = await userTokens(server, rp, user, OFFLINE);
      await revoke(rp, tokens.refreshToken!, 'id_token');
      assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), { active: false });
    });

    test('a public client revokes its own tokens with its client_id alone', async () => {
      const tokens = await userTokens(server, publicRp, user, OFFLINE);
      await openid.tokenRevocation(openidConfig(server, publicRp), tokens.refreshToken!);
      await revoke(publicRp, tokens.accessToken);
      assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), { active: false });
      assert.deepEqual(await introspect(server, rp, tokens.accessToken), { active: false });
    });

    test('unknown, malformed and forged tokens answer 200 with an empty body', async () => {
      const genuine = await clientCredentialsToken(server, rp);
      const [header, payload] = genuine.split('.');
      const forged = `${header}.${payload}.${'A'.repeat(86)}`;
      for (const token of ['no-such-token', 'a.b.c', '...', forged, 'x'.repeat(4000)]) {
        const response = await revoke(rp, token);
        assert.equal(response.status, 200, token);
        assert.equal(await response.text(), '');
      }
      assert.equal((await introspect(server, rp, genuine)).active, true);
    });

    test('an expired access token answers 200 and is not stored', async () => {
      const token = await clientCredentialsToken(server, rp);
      await later(server, server.ctx.config.accessTokenTtl, async () => {
        assert.equal((await revoke(rp, token)).status, 200);
        const jti = jwtClaims(token).jti as string;
        assert.equal(await server.ctx.store.revokedTokens.isRevoked(jti), false);
      });
    });
  });
}
