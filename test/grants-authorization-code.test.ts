/**
 * grant_type=authorization_code: codes minted through the store as /authorize would, redeemed
 * through oauth4webapi and openid-client, with the ID token and access token checked against the
 * JWKS, and every way a code can be refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { sha256 } from '../src/crypto/hash.js';
import type { Client, User } from '../src/store/types.js';
import { verifyAccessToken } from '../src/tokens/access-token.js';
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


/** OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url. */
function expectedAtHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}


for (const engine of testEngines()) {
  describe(`authorization_code grant (${engine})`, () => {
    let server: TokenServer;
    let web: { client: Client; secret: string };
    let user: User;
    let auth: Record<string, string>;

    before(async () => {
      server = await startTokenServer(engine);
      web = await addClient(server.ctx);
      user = await addUser(server.ctx, 'correct horse battery staple');
      auth = basicAuth(web.client.clientId, web.secret);
    });
    after(() => server.close());

    const OIDC_SCOPE = ['openid', 'profile', 'offline_access'];

    /** The form of a code exchange. */
    function exchange(code: string, verifier: string): Record<string, string> {
      return {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      };
    }

    /** Redeems `code` with fetch, through client_secret_basic of the web client. */
    function redeem(code: string, verifier: string, extra: Record<string, string> = {}) {
      return postToken(
        server,
        { ...exchange(code, verifier), ...extra },
        basicAuth(web.client.clientId, web.secret),
      );
    }

    /** Redeems `code` through oauth4webapi, as a web client after its callback. */
    async function libraryExchange(code: string, verifier: string) {
      const as = authorizationServer(server);
      const client = { client_id: web.client.clientId };
      const callback = oauth.validateAuthResponse(
        as,
        client,
        callbackUrl(server, code).searchParams,
        oauth.skipStateCheck,
      );
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(web.secret),
        callback,
        REDIRECT_URI,
        verifier,
        insecure,
      );
      return { as, client, response };
    }

    function mint(scope = OIDC_SCOPE, clientId = web.client.clientId) {
      return mintCode(server.ctx, { clientId, userId: user.id, scope });
    }

    test('oauth4webapi redeems a code for access, refresh and ID tokens', async () => {
      const minted = await mint();
      const { as, client, response } = await libraryExchange(minted.code, minted.verifier);
      // Checks iss, aud, exp, iat, nonce and the types of the ID token's claims.
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: minted.nonce,
        requireIdToken: true,
      });
      assert.equal(tokens.scope, OIDC_SCOPE.join(' '));
      assert.equal(typeof tokens.refresh_token, 'string');

      const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
      const id = await jwtVerify(tokens.id_token!, jwks, {
        issuer: server.issuer,
        audience: web.client.clientId,
        algorithms: ['RS256'],
      });
      assert.equal(typeof id.protectedHeader.kid, 'string');
      assert.equal(id.payload.sub, user.id);
      assert.equal(id.payload.azp, web.client.clientId);
      assert.equal(id.payload.nonce, minted.nonce);
      assert.equal(id.payload.at_hash, expectedAtHash(tokens.access_token));
      assert.equal(typeof id.payload.auth_time, 'number');
      assert.ok((id.payload.auth_time as number) <= id.payload.iat!);
      // Core §5.4: profile claims are for userinfo, the ID token stays minimal.
      assert.equal(id.payload.name, undefined);

      const access = await jwtVerify(tokens.access_token, jwks, {
        issuer: server.issuer,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      assert.equal(access.payload.sub, user.id);
      assert.equal(access.payload.client_id, web.client.clientId);
      assert.equal(access.payload.scope, OIDC_SCOPE.join(' '));
      assert.equal(access.payload.auth_time, id.payload.auth_time);

      // Only the hash of the refresh token is stored.
      const stored = await server.ctx.store.refreshTokens.find(sha256(tokens.refresh_token!));
      assert.equal(stored?.clientId, web.client.clientId);
      assert.deepEqual(stored?.scope, OIDC_SCOPE);
    });

    test('openid-client redeems a public client\'s code (PKCE as the only proof)', async () => {
      const spa = await addClient(server.ctx, { authMethod: 'none' });
      const minted = await mintCode(server.ctx, {
        clientId: spa.client.clientId,
        userId: user.id,
        scope: ['openid', 'email'],
      });
      const config = openidConfig(server, spa.client.clientId, openid.None());
      const tokens = await openid.authorizationCodeGrant(
        config,
        callbackUrl(server, minted.code),
        { pkceCodeVerifier: minted.verifier, expectedNonce: minted.nonce, idTokenExpected: true },
      );
      assert.equal(tokens.claims()?.sub, user.id);
      assert.equal(tokens.claims()?.azp, spa.client.clientId);
      // OIDC Core §11: no offline_access, no refresh token.
      assert.equal(tokens.refresh_token, undefined);
    });

    test('a plain OAuth scope (no openid) gets a refresh token and no ID token', async () => {
      const minted = await mint(['api:read']);
      const response = await redeem(minted.code, minted.verifier);
      assert.equal(response.status, 200);
      assert.equal(response.body.scope, 'api:read');
      assert.equal(typeof response.body.refresh_token, 'string');
      assert.equal(response.body.id_token, undefined);
    });

    test('a client without the refresh_token grant gets no refresh token', async () => {
      const noRefresh = await addClient(server.ctx, { grantTypes: ['authorization_code'] });
      const minted = await mint(OIDC_SCOPE, noRefresh.client.clientId);
      const response = await postToken(
        server,
        exchange(minted.code, minted.verifier),
        basicAuth(noRefresh.client.clientId, noRefresh.secret),
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.refresh_token, undefined);
      assert.equal(typeof response.body.id_token, 'string');
    });

    test('a wrong verifier answers invalid_grant, and spends the code', async () => {
      const minted = await mint();
      const wrong = oauth.generateRandomCodeVerifier();
      assertInvalidGrant(await redeem(minted.code, wrong));
      assertInvalidGrant(await redeem(minted.code, minted.verifier));
    });

    test('oauth4webapi surfaces a wrong verifier as invalid_grant', async () => {
      const minted = await mint();
      const wrong = oauth.generateRandomCodeVerifier();
      const { as, client, response } = await libraryExchange(minted.code, wrong);
      await assert.rejects(
        oauth.processAuthorizationCodeResponse(as, client, response),
        (error: unknown) =>
          error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
      );
    });

    test('a missing or malformed verifier answers invalid_grant and leaves the code', async () => {
      const minted = await mint();
      assertInvalidGrant(
        await postToken(
          server,
          { grant_type: 'authorization_code', code: minted.code, redirect_uri: REDIRECT_URI },
          basicAuth(web.client.clientId, web.secret),
        ),
      );
      assertInvalidGrant(await redeem(minted.code, 'too-short'));
      assertInvalidGrant(await redeem(minted.code, `${minted.verifier.slice(0, 42)}!`));
      assertInvalidGrant(await redeem(minted.code, 'a'.repeat(129)));
      assert.equal((await redeem(minted.code, minted.verifier)).status, 200);
    });

    test('redirect_uri may be left out; a different one answers invalid_grant', async () => {
      const first = await mint();
      const other = { redirect_uri: 'https://rp.example/other' };
      assertInvalidGrant(await redeem(first.code, first.verifier, other));
      // The refused request spent the code: a retry with the right redirect_uri is a replay.
      assertInvalidGrant(await redeem(first.code, first.verifier));

      // OAuth 2.1 §4.1.3: PKCE carries the binding, so the parameter is optional.
      const second = await mint();
      const omitted = await postToken(
        server,
        { grant_type: 'authorization_code', code: second.code, code_verifier: second.verifier },
        basicAuth(web.client.clientId, web.secret),
      );
      assert.equal(omitted.status, 200, JSON.stringify(omitted.body));
      assert.equal(typeof omitted.body.access_token, 'string');
    });

    test('an expired code answers invalid_grant', async () => {
      const minted = await mint();
      server.advance(server.ctx.config.codeTtl + 1);
      assertInvalidGrant(await redeem(minted.code, minted.verifier));
    });

    test('a code issued to another client answers invalid_grant', async () => {
      const other = await addClient(server.ctx);
      const minted = await mint(OIDC_SCOPE, other.client.clientId);
      assertInvalidGrant(await redeem(minted.code, minted.verifier));
    });

    test('an unknown code answers invalid_grant; a missing one invalid_request', async () => {
      assertInvalidGrant(await redeem('no-such-code', oauth.generateRandomCodeVerifier()));
      const missing = await postToken(
        server,
        { grant_type: 'authorization_code', code_verifier: oauth.generateRandomCodeVerifier() },
        basicAuth(web.client.clientId, web.secret),
      );
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_request');
    });

    test('a replayed code is refused and what it issued is revoked', async () => {
      const minted = await mint();
      const first = await redeem(minted.code, minted.verifier);
      assert.equal(first.status, 200);
      const accessToken = first.body.access_token as string;
      assert.notEqual(await verifyAccessToken(server.ctx, accessToken), null);

      assertInvalidGrant(await redeem(minted.code, minted.verifier));

      assert.equal(await verifyAccessToken(server.ctx, accessToken), null);
      assertInvalidGrant(await postRefresh(server, auth, first.body.refresh_token as string));
    });

    test('a replay also revokes refresh tokens rotated from the first redemption', async () => {
      const minted = await mint();
      const first = await redeem(minted.code, minted.verifier);
      const rotated = await postRefresh(server, auth, first.body.refresh_token as string);
      assert.equal(rotated.status, 200);

      assertInvalidGrant(await redeem(minted.code, minted.verifier));
      assertInvalidGrant(await postRefresh(server, auth, rotated.body.refresh_token as string));
    });

    test('of concurrent redemptions of one code exactly one succeeds', async () => {
      const minted = await mint();
      const attempts = await Promise.all(
        Array.from({ length: 8 }, () => redeem(minted.code, minted.verifier)),
      );
      const statuses = attempts.map((response) => response.status);
      assert.equal(statuses.filter((status) => status === 200).length, 1);
      for (const response of attempts.filter((r) => r.status !== 200)) {
        assertInvalidGrant(response);
      }
    });
  });
}
