/**
 * grant_type=refresh_token: rotation on every use, reuse detection that revokes the family (RFC
 * 9700 §4.14.2), scope narrowing only (RFC 6749 §6), client binding and the family's absolute end.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { sha256 } from '../src/crypto/hash.js';
import type { Client, User } from '../src/store/types.js';
import { testEngines } from './helpers/engines.js';
import {
  addClient,
  addUser,
  assertInvalidGrant,
  authorizationServer,
  basicAuth,
  callbackUrl,
  insecure,
  mintCode,
  openidConfig,
  postRefresh,
  postToken,
  REDIRECT_URI,
  startTokenServer,
  type TokenServer,
} from './helpers/token-server.js';

/** Short lifetimes, so that the tests can move the clock past them. */
const REFRESH_TTL = 600;
const FAMILY_TTL = 1000;
const SCOPE = ['openid', 'profile', 'offline_access', 'api:read'];


for (const engine of testEngines()) {
  describe(`refresh_token grant (${engine})`, () => {
    let server: TokenServer;
    let web: { client: Client; secret: string };
    let auth: Record<string, string>;
    let user: User;

    before(async () => {
      server = await startTokenServer(engine, {
        AUTHLY_REFRESH_TOKEN_TTL: String(REFRESH_TTL),
        AUTHLY_REFRESH_FAMILY_TTL: String(FAMILY_TTL),
      });
      web = await addClient(server.ctx);
      auth = basicAuth(web.client.clientId, web.secret);
      user = await addUser(server.ctx, 'correct horse battery staple');
    });
    after(() => server.close());

    /** A first refresh token for `client`, from a code exchange. */
    async function firstRefreshToken(client = web, scope = SCOPE): Promise<string> {
      const minted = await mintCode(server.ctx, {
        clientId: client.client.clientId,
        userId: user.id,
        scope,
      });
      const response = await postToken(
        server,
        {
          grant_type: 'authorization_code',
          code: minted.code,
          code_verifier: minted.verifier,
          redirect_uri: REDIRECT_URI,
        },
        basicAuth(client.client.clientId, client.secret),
      );
      assert.equal(response.status, 200);
      return response.body.refresh_token as string;
    }

    test('oauth4webapi rotates the token; no ID token by default (OIDC Core §12.2)', async () => {
      const first = await firstRefreshToken();
      const as = authorizationServer(server);
      const client = { client_id: web.client.clientId };
      const response = await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(web.secret),
        first,
        insecure,
      );
      const tokens = await oauth.processRefreshTokenResponse(as, client, response);
      assert.equal(typeof tokens.refresh_token, 'string');
      assert.notEqual(tokens.refresh_token, first);
      assert.equal(tokens.scope, SCOPE.join(' '));
      assert.equal(tokens.id_token, undefined);

      const previous = await server.ctx.store.refreshTokens.find(sha256(first));
      const next = await server.ctx.store.refreshTokens.find(sha256(tokens.refresh_token!));
      assert.notEqual(previous?.usedAt, null);
      assert.equal(next?.familyId, previous?.familyId);
      assert.equal(next?.parentHash, previous?.tokenHash);
    });

    test('with AUTHLY_REFRESH_ID_TOKEN=true, a new ID token without nonce', async () => {
      const withIdToken = await startTokenServer(engine, { AUTHLY_REFRESH_ID_TOKEN: 'true' });
      try {
        const rp = await addClient(withIdToken.ctx);
        const owner = await addUser(withIdToken.ctx, 'correct horse battery staple');
        const minted = await mintCode(withIdToken.ctx, {
          clientId: rp.client.clientId,
          userId: owner.id,
          scope: SCOPE,
        });
        const config = openidConfig(
          withIdToken,
          rp.client.clientId,
          openid.ClientSecretBasic(rp.secret),
        );
        const first = await openid.authorizationCodeGrant(
          config,
          callbackUrl(withIdToken, minted.code),
          { pkceCodeVerifier: minted.verifier, expectedNonce: minted.nonce },
        );
        const tokens = await openid.refreshTokenGrant(config, first.refresh_token!);

        const jwks = createRemoteJWKSet(new URL(`${withIdToken.issuer}/.well-known/jwks.json`));
        const id = await jwtVerify(tokens.id_token!, jwks, {
          issuer: withIdToken.issuer,
          audience: rp.client.clientId,
          algorithms: ['RS256'],
        });
        assert.equal(id.payload.sub, owner.id);
        assert.equal(id.payload.nonce, undefined);
        assert.equal(id.payload.auth_time, first.claims()!.auth_time);
        const digest = createHash('sha256').update(tokens.access_token).digest();
        assert.equal(id.payload.at_hash, digest.subarray(0, 16).toString('base64url'));
      } finally {
        await withIdToken.close();
      }
    });

    test('openid-client refreshes for a public client', async () => {
      const spa = await addClient(server.ctx, { authMethod: 'none' });
      const minted = await mintCode(server.ctx, {
        clientId: spa.client.clientId,
        userId: user.id,
        scope: ['api:read'],
      });
      const config = openidConfig(server, spa.client.clientId, openid.None());
      const first = await openid.authorizationCodeGrant(
        config,
        callbackUrl(server, minted.code),
        { pkceCodeVerifier: minted.verifier },
      );
      const second = await openid.refreshTokenGrant(config, first.refresh_token!);
      assert.equal(second.scope, 'api:read');
      assert.notEqual(second.refresh_token, first.refresh_token);
    });

    test('a spent token presented again revokes the family, newest token included', async () => {
      const first = await firstRefreshToken();
      const second = await postRefresh(server, auth, first);
      assert.equal(second.status, 200);
      const third = await postRefresh(server, auth, second.body.refresh_token as string);
      assert.equal(third.status, 200);

      assertInvalidGrant(await postRefresh(server, auth, first));
      assertInvalidGrant(await postRefresh(server, auth, third.body.refresh_token as string));

      const newest = await server.ctx.store.refreshTokens.find(
        sha256(third.body.refresh_token as string),
      );
      assert.notEqual(newest?.revokedAt, null);
    });

    test('a narrower scope holds for the access token; the family keeps its scope', async () => {
      const first = await firstRefreshToken();
      const narrowed = await postRefresh(server, auth, first, { scope: 'api:read' });
      assert.equal(narrowed.status, 200);
      assert.equal(narrowed.body.scope, 'api:read');
      assert.equal(narrowed.body.id_token, undefined);

      // RFC 6749 §6: the new refresh token carries the scope of the one it replaced.
      const full = await postRefresh(server, auth, narrowed.body.refresh_token as string);
      assert.equal(full.status, 200);
      assert.equal(full.body.scope, SCOPE.join(' '));
    });

    test('a wider scope answers invalid_scope and leaves the token usable', async () => {
      const first = await firstRefreshToken();
      const widened = await postRefresh(server, auth, first, { scope: 'api:read api:write' });
      assert.equal(widened.status, 400);
      assert.equal(widened.body.error, 'invalid_scope');
      assert.deepEqual(Object.keys(widened.body).sort(), ['error', 'error_description']);
      assert.equal((await postRefresh(server, auth, first)).status, 200);
    });

    test('a token presented by another client is refused and its family revoked', async () => {
      const first = await firstRefreshToken();
      const other = await addClient(server.ctx);
      const otherAuth = basicAuth(other.client.clientId, other.secret);
      assertInvalidGrant(await postRefresh(server, otherAuth, first));
      assertInvalidGrant(await postRefresh(server, auth, first));
    });

    test('rotation never outlives the family; past its end every token is refused', async () => {
      const first = await firstRefreshToken();
      const family = (await server.ctx.store.refreshTokens.find(sha256(first)))!;

      // Late in the family's life (the first token still alive), a rotated token ends with the
      // family, not REFRESH_TTL after the rotation.
      const late = FAMILY_TTL - REFRESH_TTL + 100;
      server.advance(late);
      const rotated = await postRefresh(server, auth, first);
      assert.equal(rotated.status, 200);
      const next = rotated.body.refresh_token as string;
      const stored = await server.ctx.store.refreshTokens.find(sha256(next));
      assert.equal(stored?.expiresAt.getTime(), family.familyExpiresAt.getTime());

      server.advance(FAMILY_TTL - late);
      assertInvalidGrant(await postRefresh(server, auth, next));
    });

    test('a token left unused past its own lifetime is refused', async () => {
      const first = await firstRefreshToken();
      server.advance(REFRESH_TTL);
      assertInvalidGrant(await postRefresh(server, auth, first));
    });

    test('of concurrent rotations of one token exactly one succeeds', async () => {
      const first = await firstRefreshToken();
      const attempts = await Promise.all(
        Array.from({ length: 8 }, () => postRefresh(server, auth, first)),
      );
      const winners = attempts.filter((response) => response.status === 200);
      assert.equal(winners.length, 1);
      for (const response of attempts.filter((r) => r.status !== 200)) {
        assertInvalidGrant(response);
      }
      // The losers presented a token spent a moment before: a reuse, so the family is revoked,
      // the winner's new token with it.
      assertInvalidGrant(await postRefresh(server, auth, winners[0].body.refresh_token as string));
    });

    test('an unknown token answers invalid_grant; a missing one invalid_request', async () => {
      assertInvalidGrant(await postRefresh(server, auth, 'no-such-token'));
      const missing = await postToken(server, { grant_type: 'refresh_token' }, auth);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_request');
    });
  });
}
