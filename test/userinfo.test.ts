/**
 * GET and POST /userinfo (OpenID Connect Core §5.3) through oauth4webapi and openid-client, and
 * each RFC 6750 §3 error with its exact status and `WWW-Authenticate` challenge.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import type { User } from '../src/store/types.js';
import { issueAccessToken } from '../src/tokens/access-token.js';
import { testEngines } from './helpers/engines.js';
import {
  clientCredentialsToken,
  later,
  openidConfig,
  postForm,
  startCast,
  userTokens,
  type Registered,
} from './helpers/issued-tokens.js';
import {
  addUser,
  authorizationServer,
  insecure,
  type TokenServer,
} from './helpers/token-server.js';

const ALL = ['openid', 'profile', 'email'];
const INVALID_TOKEN =
  'Bearer realm="authly", error="invalid_token", ' +
  'error_description="the access token is invalid, expired or revoked"';

/** Asserts an RFC 6750 error: status, exact challenge, the same code in the JSON body. */
async function assertBearerError(
  response: Response,
  status: number,
  challenge: string | RegExp,
): Promise<void> {
  assert.equal(response.status, status);
  const header = response.headers.get('www-authenticate') ?? '';
  if (typeof challenge === 'string') assert.equal(header, challenge);
  else assert.match(header, challenge);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const body = await response.json();
  assert.equal(body.error, /error="([a-z_]+)"/.exec(header)?.[1]);
}

for (const engine of testEngines()) {
  describe(`userinfo (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let user: User;
    let userinfo: string;

    before(async () => {
      ({ server, rp, user } = await startCast(engine));
      userinfo = `${server.issuer}/userinfo`;
    });
    after(() => server.close());

    /** The claims the stored user releases for openid, profile and email. */
    function expectedClaims(sub: string | undefined) {
      return {
        sub,
        name: user.name,
        preferred_username: user.username,
        email: user.email,
        email_verified: false,
      };
    }

    test('GET with a Bearer header answers the claims, sub equal to the ID token', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const as = authorizationServer(server);
      const rpMeta = { client_id: rp.client.clientId };
      const response = await oauth.userInfoRequest(as, rpMeta, tokens.accessToken, insecure);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const claims = await oauth.processUserInfoResponse(as, rpMeta, tokens.sub!, response);
      assert.deepEqual({ ...claims }, expectedClaims(tokens.sub));
      assert.equal(tokens.sub, user.id);
    });

    test('POST with a Bearer header answers the same claims', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const as = authorizationServer(server);
      const rpMeta = { client_id: rp.client.clientId };
      const response = await oauth.protectedResourceRequest(
        tokens.accessToken,
        'POST',
        new URL(userinfo),
        new Headers(),
        null,
        insecure,
      );
      const claims = await oauth.processUserInfoResponse(as, rpMeta, tokens.sub!, response);
      assert.deepEqual({ ...claims }, expectedClaims(tokens.sub));
    });

    test('POST with the token in the form body (RFC 6750 §2.2)', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const response = await postForm(server, '/userinfo', { access_token: tokens.accessToken });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), expectedClaims(tokens.sub));
    });

    test('openid-client fetchUserInfo checks the subject and reads the claims', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const config = openidConfig(server, rp);
      const claims = await openid.fetchUserInfo(config, tokens.accessToken, tokens.sub!);
      assert.equal(claims.preferred_username, user.username);
    });

    test('the granted scopes decide the claims', async () => {
      const bare = await userTokens(server, rp, user, ['openid']);
      const bareAnswer = await postForm(server, '/userinfo', { access_token: bare.accessToken });
      assert.deepEqual(await bareAnswer.json(), { sub: user.id });

      const email = await userTokens(server, rp, user, ['openid', 'email']);
      const emailAnswer = await postForm(server, '/userinfo', { access_token: email.accessToken });
      assert.deepEqual(await emailAnswer.json(), {
        sub: user.id,
        email: user.email,
        email_verified: false,
      });
    });

    test('no token at all: 401 with a bare challenge and no error code (§3.1)', async () => {
      const bare = 'Bearer realm="authly"';
      for (const init of [
        {},
        { method: 'POST' },
        { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
      ] as RequestInit[]) {
        const response = await fetch(userinfo, init);
        assert.equal(response.status, 401);
        assert.equal(response.headers.get('www-authenticate'), bare);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.equal(await response.text(), '');
      }
    });

    test('oauth4webapi reads the missing-token challenge without an error', async () => {
      const as = authorizationServer(server);
      const rpMeta = { client_id: rp.client.clientId };
      // oauth4webapi will not send a request without a token; a plain one stands in for it.
      const bare = await fetch(userinfo);
      await assert.rejects(
        oauth.processUserInfoResponse(as, rpMeta, oauth.skipSubjectCheck, bare),
        (error) => {
          assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
          assert.equal(error.cause[0].scheme, 'bearer');
          assert.equal(error.cause[0].parameters.realm, 'authly');
          assert.equal(error.cause[0].parameters.error, undefined);
          return true;
        },
      );
    });

    test('malformed and forged tokens: 401 invalid_token', async () => {
      const genuine = await clientCredentialsToken(server, rp);
      const [header, payload] = genuine.split('.');
      for (const token of ['garbage', 'a.b.c', `${header}.${payload}.${'A'.repeat(86)}`]) {
        const response = await fetch(userinfo, { headers: { authorization: `Bearer ${token}` } });
        await assertBearerError(response, 401, INVALID_TOKEN);
      }
    });

    test('an expired token: 401 invalid_token', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      await later(server, server.ctx.config.accessTokenTtl, async () => {
        const auth = { authorization: `Bearer ${tokens.accessToken}` };
        await assertBearerError(await fetch(userinfo, { headers: auth }), 401, INVALID_TOKEN);
      });
    });

    test('a revoked token: 401 invalid_token, as openid-client reports it', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const config = openidConfig(server, rp);
      await openid.tokenRevocation(config, tokens.accessToken);
      const answer = openid.fetchUserInfo(config, tokens.accessToken, tokens.sub!);
      await assert.rejects(answer, (error) => {
        assert.ok(error instanceof oauth.WWWAuthenticateChallengeError);
        assert.equal(error.status, 401);
        assert.equal(error.cause[0].parameters.error, 'invalid_token');
        return true;
      });
    });

    test('a client_credentials token names no user: 401 invalid_token', async () => {
      const token = await clientCredentialsToken(server, rp);
      const auth = { authorization: `Bearer ${token}` };
      await assertBearerError(await fetch(userinfo, { headers: auth }), 401, INVALID_TOKEN);
    });

    test('a token whose user was deleted: 401 invalid_token', async () => {
      const gone = await addUser(server.ctx, 'another long passphrase');
      const tokens = await userTokens(server, rp, gone, ALL);
      await server.ctx.store.users.delete(gone.id);
      const auth = { authorization: `Bearer ${tokens.accessToken}` };
      await assertBearerError(await fetch(userinfo, { headers: auth }), 401, INVALID_TOKEN);
    });

    test('a token meant for another resource: 401 invalid_token', async () => {
      const token = issueAccessToken(server.ctx, {
        subject: user.id,
        clientId: rp.client.clientId,
        scope: ALL,
        audience: 'https://api.example.test',
      }).token;
      const auth = { authorization: `Bearer ${token}` };
      await assertBearerError(await fetch(userinfo, { headers: auth }), 401, INVALID_TOKEN);
    });

    test('a token without openid: 403 insufficient_scope naming openid', async () => {
      const tokens = await userTokens(server, rp, user, ['profile', 'email']);
      const auth = { authorization: `Bearer ${tokens.accessToken}` };
      await assertBearerError(
        await fetch(userinfo, { headers: auth }),
        403,
        'Bearer realm="authly", error="insufficient_scope", scope="openid"',
      );
    });

    test('malformed requests: 400 invalid_request with a challenge naming it', async () => {
      const tokens = await userTokens(server, rp, user, ALL);
      const token = tokens.accessToken;
      const invalidRequest = /^Bearer realm="authly", error="invalid_request", error_description="/;

      const both = await postForm(server, '/userinfo', { access_token: token }, {
        authorization: `Bearer ${token}`,
      });
      await assertBearerError(both, 400, invalidRequest);

      const inQuery = await fetch(`${userinfo}?access_token=${token}`);
      await assertBearerError(inQuery, 400, invalidRequest);

      const twice = await postForm(server, '/userinfo', `access_token=${token}&access_token=x`);
      await assertBearerError(twice, 400, invalidRequest);

      for (const authorization of ['Bearer', 'Bearer a b', `Bearer ${token}, Bearer ${token}`]) {
        const response = await fetch(userinfo, { headers: { authorization } });
        await assertBearerError(response, 400, invalidRequest);
      }
    });
  });
}
