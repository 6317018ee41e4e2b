/**
 * The OAuth 2.1 and OpenID Connect flows end to end, each through a client library that found
 * the server by discovery: openid-client and oauth4webapi build the authorization request, a
 * cookie-keeping agent signs in and consents on the real pages, and the libraries exchange the
 * code, check the ID token, refresh, introspect, revoke and validate access tokens against the
 * published JWKS. Also: what discovery advertises works where it is advertised, and what the
 * database holds of the secrets it handed out (only hashes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { sha256 } from '../src/crypto/hash.js';
import type { ClientAuthMethod, GrantType, User } from '../src/store/types.js';
import { storedText, testEngines } from './helpers/engines.js';
import {
  clientAuth,
  introspect,
  jwtClaims,
  openidConfig,
  refresh,
  startCast,
  userTokens,
  type Registered,
} from './helpers/issued-tokens.js';
import {
  addClient,
  addUser,
  authorizationServer,
  insecure,
  REDIRECT_URI,
  startTokenServer,
  type TokenServer,
} from './helpers/token-server.js';
import { authorizeAs, redirectedTo, signIn, UserAgent } from './helpers/user-agent.js';

/** The password startCast gives its user. */
const PASSWORD = 'correct horse battery staple';
const OIDC_SCOPE = 'openid profile email offline_access';
const INACTIVE = { active: false };

/** The values a relying party keeps while the user is away at the server. */
interface Pending {
  verifier: string;
  nonce: string;
  state: string;
}

function newPending(): Pending {
  return {
    verifier: oauth.generateRandomCodeVerifier(),
    nonce: oauth.generateRandomNonce(),
    state: oauth.generateRandomState(),
  };
}

/** An authorization URL built by oauth4webapi's caller from the discovered endpoint. */
async function authorizationUrl(
  as: oauth.AuthorizationServer,
  clientId: string,
  pending: Pending,
  extra: Record<string, string> = {},
): Promise<URL> {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: OIDC_SCOPE,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return url;
}

/** The URL the browser was sent back to, after the server's 303 to the client. */
function callbackOf(agent: UserAgent, response: Response): URL {
  const location = redirectedTo(agent, response);
  assert.ok(location.startsWith(`${REDIRECT_URI}?`), location);
  return new URL(location);
}

/** A rejection carrying the OAuth error `code`, as the libraries raise it. */
function oauthError(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof oauth.ResponseBodyError, String(error));
    assert.equal(error.error, code);
    assert.equal(error.status, 400);
    return true;
  };
}

for (const engine of testEngines()) {
  describe(`flows through discovery (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let resourceServer: Registered;
    let publicRp: Registered;
    let user: User;
    let as: oauth.AuthorizationServer;
    let config: openid.Configuration;

    before(async () => {
      ({ server, rp, other: resourceServer, publicRp, user } = await startCast(engine));
      as = authorizationServer(server);
      config = await openid.discovery(
        new URL(server.issuer),
        rp.client.clientId,
        undefined,
        openid.ClientSecretBasic(rp.secret),
        { execute: [openid.allowInsecureRequests] },
      );
    });
    after(() => server.close());

    /** A code for `registered` from the real pages, signed in as the cast's user. */
    async function codeFor(registered: Registered, pending: Pending, agent?: UserAgent) {
      const url = await authorizationUrl(as, registered.client.clientId, pending);
      const browser = agent ?? new UserAgent(server);
      const last = await authorizeAs(browser, url.href, user.username, PASSWORD);
      return callbackOf(browser, last.response);
    }

    test('openid-client: sign-in, consent, code, ID token with max_age, userinfo', async () => {
      const agent = new UserAgent(server);
      const pending = newPending();
      const url = openid.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: OIDC_SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        max_age: '300',
      });
      const last = await authorizeAs(agent, url.href, user.username, PASSWORD);
      const checks = {
        pkceCodeVerifier: pending.verifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
        // openid-client then requires auth_time and checks it against max_age.
        maxAge: 300,
      };
      const tokens = await openid.authorizationCodeGrant(
        config,
        callbackOf(agent, last.response),
        checks,
      );
      const claims = tokens.claims()!;
      assert.equal(claims.sub, user.id);
      assert.equal(claims.azp, rp.client.clientId);
      assert.equal(typeof claims.at_hash, 'string');
      assert.equal(typeof tokens.refresh_token, 'string');
      const info = await openid.fetchUserInfo(config, tokens.access_token, claims.sub);
      assert.deepEqual(
        { ...info },
        {
          sub: user.id,
          name: user.name,
          preferred_username: user.username,
          email: user.email,
          email_verified: false,
        },
      );

      // Past max_age the user signs in again, and auth_time says when.
      server.advance(301);
      try {
        const again = newPending();
        const strict = openid.buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid',
          state: again.state,
          nonce: again.nonce,
          code_challenge: await openid.calculatePKCECodeChallenge(again.verifier),
          code_challenge_method: 'S256',
          max_age: '300',
        });
        const start = await agent.fetch(strict.href);
        const loginPath = redirectedTo(agent, start.response);
        assert.match(loginPath, /^\/login\?/);
        const signedIn = await signIn(agent, loginPath, user.username, PASSWORD);
        const second = await openid.authorizationCodeGrant(
          config,
          callbackOf(agent, signedIn.response),
          {
            pkceCodeVerifier: again.verifier,
            expectedNonce: again.nonce,
            expectedState: again.state,
            maxAge: 300,
          },
        );
        assert.ok(second.claims()!.auth_time! >= claims.auth_time! + 301);
      } finally {
        server.advance(-301);
      }
    });

    test('oauth4webapi: a public client, then refresh rotation and reuse detection', async () => {
      const pending = newPending();
      const rpMeta = { client_id: publicRp.client.clientId };
      const callback = await codeFor(publicRp, pending);
      const params = oauth.validateAuthResponse(as, rpMeta, callback, pending.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        rpMeta,
        oauth.None(),
        params,
        REDIRECT_URI,
        pending.verifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, rpMeta, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      });
      assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.sub, user.id);

      const rotated = await refresh(server, publicRp, tokens.refresh_token!);
      assert.notEqual(rotated.refresh_token, tokens.refresh_token);
      const live = await introspect(server, resourceServer, rotated.refresh_token!);
      assert.equal(live.active, true);

      // RFC 9700 §4.14.2: the spent token again revokes the family, the newest token included.
      const spent = refresh(server, publicRp, tokens.refresh_token!);
      await assert.rejects(spent, oauthError('invalid_grant'));
      assert.deepEqual(await introspect(server, resourceServer, rotated.refresh_token!), INACTIVE);
      const newest = refresh(server, publicRp, rotated.refresh_token!);
      await assert.rejects(newest, oauthError('invalid_grant'));
    });

    test('a wrong PKCE verifier: invalid_grant, and the code is spent', async () => {
      const pending = newPending();
      const callback = await codeFor(rp, pending);
      const wrong = { ...pending, verifier: oauth.generateRandomCodeVerifier() };
      const exchange = (checks: Pending) =>
        openid.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: checks.verifier,
          expectedNonce: checks.nonce,
          expectedState: checks.state,
        });
      await assert.rejects(exchange(wrong), oauthError('invalid_grant'));
      await assert.rejects(exchange(pending), oauthError('invalid_grant'));
    });

    test('a replayed code: invalid_grant, and what it issued is inactive', async () => {
      const pending = newPending();
      const callback = await codeFor(rp, pending);
      const checks = {
        pkceCodeVerifier: pending.verifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
      };
      const first = await openid.authorizationCodeGrant(config, callback, checks);
      for (const token of [first.access_token, first.refresh_token!]) {
        assert.equal((await introspect(server, resourceServer, token)).active, true);
      }

      await assert.rejects(
        openid.authorizationCodeGrant(config, callback, checks),
        oauthError('invalid_grant'),
      );
      for (const token of [first.access_token, first.refresh_token!]) {
        assert.deepEqual(await introspect(server, resourceServer, token), INACTIVE);
      }
    });

    test('the code goes only to its own redirect URI and client', async () => {
      const pending = newPending();
      const rpMeta = { client_id: rp.client.clientId };
      const callback = await codeFor(rp, pending);
      const params = oauth.validateAuthResponse(as, rpMeta, callback, pending.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        rpMeta,
        clientAuth(rp),
        params,
        'https://rp.example/elsewhere',
        pending.verifier,
        insecure,
      );
      await assert.rejects(
        oauth.processAuthorizationCodeResponse(as, rpMeta, response),
        oauthError('invalid_grant'),
      );

      const stolen = newPending();
      const thief = { client_id: resourceServer.client.clientId };
      const taken = await codeFor(rp, stolen);
      const theft = await oauth.authorizationCodeGrantRequest(
        as,
        thief,
        clientAuth(resourceServer),
        oauth.validateAuthResponse(as, thief, taken, stolen.state),
        REDIRECT_URI,
        stolen.verifier,
        insecure,
      );
      await assert.rejects(
        oauth.processAuthorizationCodeResponse(as, thief, theft),
        oauthError('invalid_grant'),
      );
    });

    test('client_credentials: oauth4webapi validates the RFC 9068 JWT with the JWKS', async () => {
      const machine = { client_id: rp.client.clientId };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        machine,
        clientAuth(rp),
        { scope: 'api:read' },
        insecure,
      );
      const tokens = await oauth.processClientCredentialsResponse(as, machine, response);
      assert.equal(tokens.refresh_token, undefined);

      // What a resource server does: the signature against jwks_uri, typ at+jwt, iss, aud, exp,
      // and every claim RFC 9068 §2.2 requires.
      const request = new Request('https://api.example.test/data', {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      const claims = await oauth.validateJwtAccessToken(as, request, server.issuer, {
        ...insecure,
        signingAlgorithms: ['ES256'],
      });
      assert.equal(claims.sub, rp.client.clientId);
      assert.equal(claims.client_id, rp.client.clientId);
      assert.equal(claims.scope, 'api:read');
      assert.equal(claims.exp - claims.iat, server.ctx.config.accessTokenTtl);

      // Revoked, it is inactive at introspection; the JWT itself cannot know.
      await openid.tokenRevocation(openidConfig(server, rp), tokens.access_token);
      assert.deepEqual(await introspect(server, resourceServer, tokens.access_token), INACTIVE);
    });

    test('every advertised client authentication method works where it is advertised', async () => {
      const methods = (name: string) => as[name] as ClientAuthMethod[];
      const grantTypes: GrantType[] = ['authorization_code', 'refresh_token'];
      const clientWith = async (authMethod: ClientAuthMethod) =>
        addClient(server.ctx, { authMethod, isPublic: authMethod === 'none', grantTypes });

      for (const method of methods('token_endpoint_auth_methods_supported')) {
        const registered = await clientWith(method);
        const tokens = await userTokens(server, registered, user, ['openid', 'offline_access']);
        const rotated = await refresh(server, registered, tokens.refreshToken!);
        assert.equal(typeof rotated.access_token, 'string', method);
      }
      for (const method of methods('revocation_endpoint_auth_methods_supported')) {
        const registered = await clientWith(method);
        const tokens = await userTokens(server, registered, user, ['openid', 'offline_access']);
        await openid.tokenRevocation(openidConfig(server, registered), tokens.refreshToken!);
        assert.deepEqual(await introspect(server, rp, tokens.refreshToken!), INACTIVE, method);
      }
      for (const method of methods('introspection_endpoint_auth_methods_supported')) {
        const registered = await clientWith(method);
        const tokens = await userTokens(server, rp, user, ['openid']);
        const answer = await openid.tokenIntrospection(
          openidConfig(server, registered),
          tokens.accessToken,
        );
        assert.equal(answer.active, true, method);
      }
    });

    test('the database holds only hashes of codes, tokens, secrets and sessions', async () => {
      const agent = new UserAgent(server);
      const pending = newPending();
      const callback = await codeFor(rp, pending, agent);
      const code = callback.searchParams.get('code')!;
      const tokens = await openid.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
      });
      const rotated = await openid.refreshTokenGrant(config, tokens.refresh_token!);
      await openid.tokenRevocation(config, rotated.access_token);
      const session = agent.cookies.get('authly_session')!;

      const stored = await storedText(server.ctx.config.databaseUrl);
      const secrets = {
        code,
        verifier: pending.verifier,
        refreshToken: tokens.refresh_token!,
        rotatedRefreshToken: rotated.refresh_token!,
        accessToken: tokens.access_token,
        idToken: tokens.id_token!,
        clientSecret: rp.secret,
        session,
        password: PASSWORD,
      };
      for (const [what, value] of Object.entries(secrets)) {
        assert.ok(!stored.includes(value), `${what} is stored as it was handed out`);
      }
      // The rows are there, under their hashes (the dump is not simply empty).
      for (const value of [code, tokens.refresh_token!, rp.secret, session]) {
        assert.ok(stored.includes(sha256(value)));
      }
      assert.ok(stored.includes(jwtClaims(rotated.access_token).jti as string));
    });
  });

  describe(`configured lifetimes (${engine})`, () => {
    let server: TokenServer;
    let rp: Registered;
    let user: User;

    before(async () => {
      server = await startTokenServer(engine, {
        AUTHLY_ACCESS_TOKEN_TTL: '120',
        AUTHLY_ID_TOKEN_TTL: '90',
        AUTHLY_CODE_TTL: '30',
      });
      const grantTypes: GrantType[] = ['authorization_code', 'refresh_token'];
      rp = await addClient(server.ctx, { grantTypes });
      user = await addUser(server.ctx, PASSWORD);
    });
    after(() => server.close());

    test('access tokens, ID tokens and codes live as long as configured', async () => {
      const tokens = await userTokens(server, rp, user, ['openid']);
      const access = jwtClaims(tokens.accessToken);
      assert.equal((access.exp as number) - (access.iat as number), 120);

      const config = openidConfig(server, rp);
      const pending = newPending();
      const as = authorizationServer(server);
      const url = await authorizationUrl(as, rp.client.clientId, pending, { scope: 'openid' });
      const agent = new UserAgent(server);
      const last = await authorizeAs(agent, url.href, user.username, PASSWORD);
      const callback = callbackOf(agent, last.response);
      const result = await openid.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.verifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
      });
      assert.equal(result.expires_in, 120);
      const id = result.claims()!;
      assert.equal(id.exp - id.iat, 90);

      const late = newPending();
      const lateUrl = await authorizationUrl(as, rp.client.clientId, late, { scope: 'openid' });
      const lateCallback = callbackOf(agent, (await agent.fetch(lateUrl.href)).response);
      server.advance(30);
      try {
        await assert.rejects(
          openid.authorizationCodeGrant(config, lateCallback, {
            pkceCodeVerifier: late.verifier,
            expectedNonce: late.nonce,
            expectedState: late.state,
          }),
          oauthError('invalid_grant'),
        );
      } finally {
        server.advance(-30);
      }
    });
  });
}
