/**
 * grant_type=password: only for clients registered with it, failures that all look alike, the
 * per-account lockout and the per-address throttle shared with the sign-in page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as openid from 'openid-client';
import { ADDRESS_LIMIT, LOCKOUT_THRESHOLD } from '../src/security/sign-in.js';
import type { Client, User } from '../src/store/types.js';
import { testEngines } from './helpers/engines.js';
import {
  addClient,
  addUser,
  assertInvalidGrant,
  assertOAuthError,
  basicAuth,
  openidConfig,
  postToken,
  startTokenServer,
  type TokenServer,
} from './helpers/token-server.js';

const PASSWORD = 'correct horse battery staple';

for (const engine of testEngines()) {
  describe(`password grant (${engine})`, () => {
    let server: TokenServer;
    let legacy: { client: Client; secret: string };
    let auth: Record<string, string>;
    let user: User;

    before(async () => {
      server = await startTokenServer(engine);
      legacy = await addClient(server.ctx, { grantTypes: ['password', 'refresh_token'] });
      auth = basicAuth(legacy.client.clientId, legacy.secret);
      user = await addUser(server.ctx, PASSWORD);
    });
    after(() => server.close());

    function signIn(username: string, password: string, headers = auth) {
      return postToken(server, { grant_type: 'password', username, password }, headers);
    }

    test('openid-client signs in with username and password', async () => {
      const config = openidConfig(
        server,
        legacy.client.clientId,
        openid.ClientSecretBasic(legacy.secret),
      );
      const tokens = await openid.genericGrantRequest(config, 'password', {
        username: user.username,
        password: PASSWORD,
        scope: 'openid offline_access api:read',
      });
      assert.equal(tokens.scope, 'openid offline_access api:read');
      assert.equal(typeof tokens.refresh_token, 'string');

      const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
      const access = await jwtVerify(tokens.access_token, jwks, { typ: 'at+jwt' });
      assert.equal(access.payload.sub, user.id);
      const id = await jwtVerify(tokens.id_token!, jwks, { audience: legacy.client.clientId });
      assert.equal(id.payload.sub, user.id);
      assert.equal(id.payload.nonce, undefined);
    });

    test('the email address works as the username', async () => {
      const response = await signIn(user.email!, PASSWORD);
      assert.equal(response.status, 200);
    });

    test('a wrong password and an unknown user answer the same invalid_grant', async () => {
      const wrong = await signIn(user.username, 'not the password');
      const unknown = await signIn('nobody-at-all', PASSWORD);
      assertInvalidGrant(wrong);
      assertInvalidGrant(unknown);
      assert.deepEqual(wrong.body, unknown.body);
    });

    test(`after ${LOCKOUT_THRESHOLD} failures even the right password is refused`, async () => {
      const victim = await addUser(server.ctx, PASSWORD);
      for (let attempt = 0; attempt < LOCKOUT_THRESHOLD; attempt++) {
        assertInvalidGrant(await signIn(victim.username, `wrong ${attempt}`));
      }
      const locked = await signIn(victim.username, PASSWORD);
      assertInvalidGrant(locked);
      // A locked account looks exactly like a wrong password: no Retry-After that would tell.
      assert.equal(locked.headers.get('retry-after'), null);
      assert.notEqual((await server.ctx.store.users.findById(victim.id))?.lockedUntil, null);
    });

    test('other clients get unauthorized_client, even with the right password', async () => {
      const web = await addClient(server.ctx);
      const webAuth = basicAuth(web.client.clientId, web.secret);
      const response = await signIn(user.username, PASSWORD, webAuth);
      assertOAuthError(response, 400, 'unauthorized_client');
    });

    test('a scope beyond the client\'s answers invalid_scope', async () => {
      const response = await postToken(
        server,
        { grant_type: 'password', username: user.username, password: PASSWORD, scope: 'admin' },
        auth,
      );
      assertOAuthError(response, 400, 'invalid_scope');
    });

    test('a missing username or password answers invalid_request', async () => {
      const noUser = await postToken(server, { grant_type: 'password', password: PASSWORD }, auth);
      assertOAuthError(noUser, 400, 'invalid_request');
      const noPassword = await postToken(
        server,
        { grant_type: 'password', username: user.username },
        auth,
      );
      assertOAuthError(noPassword, 400, 'invalid_request');
    });

    test('a burst of concurrent guesses cannot get past the lockout', async () => {
      // A server of its own, so that the burst stays within the address allowance.
      const fresh = await startTokenServer(engine);
      try {
        const client = await addClient(fresh.ctx, { grantTypes: ['password'] });
        const victim = await addUser(fresh.ctx, PASSWORD);
        const attempt = (password: string) =>
          postToken(
            fresh,
            { grant_type: 'password', username: victim.username, password },
            basicAuth(client.client.clientId, client.secret),
          );
        const burst = await Promise.all(
          Array.from({ length: LOCKOUT_THRESHOLD * 3 }, (_, i) => attempt(`wrong ${i}`)),
        );
        for (const response of burst) assertInvalidGrant(response);

        const right = await attempt(PASSWORD);
        assertInvalidGrant(right);
        assert.equal(right.headers.get('retry-after'), null);
        const stored = await fresh.ctx.store.users.findById(victim.id);
        assert.ok(stored?.lockedUntil && stored.lockedUntil > fresh.ctx.clock());
      } finally {
        await fresh.close();
      }
    });

    test('concurrent sign-ins with the right password lock and throttle nothing', async () => {
      // One service account from one address, more at once than either allowance.
      const fresh = await startTokenServer(engine);
      try {
        const client = await addClient(fresh.ctx, { grantTypes: ['password'] });
        const account = await addUser(fresh.ctx, PASSWORD);
        const burst = await Promise.all(
          Array.from({ length: ADDRESS_LIMIT + LOCKOUT_THRESHOLD }, () =>
            postToken(
              fresh,
              { grant_type: 'password', username: account.username, password: PASSWORD },
              basicAuth(client.client.clientId, client.secret),
            ),
          ),
        );
        for (const response of burst) assert.equal(response.status, 200);
        const stored = await fresh.ctx.store.users.findById(account.id);
        assert.equal(stored?.lockedUntil, null);
        assert.equal(stored?.failedLogins, 0);
      } finally {
        await fresh.close();
      }
    });

    // Last: it exhausts this server's allowance for the test address.
    test('an address with too many failures gets invalid_grant with Retry-After', async () => {
      let throttled = null;
      for (let attempt = 0; attempt <= ADDRESS_LIMIT && !throttled; attempt++) {
        const response = await signIn('nobody-at-all', `guess ${attempt}`);
        if (response.headers.get('retry-after')) throttled = response;
      }
      assert.ok(throttled, 'the address was never throttled');
      assertInvalidGrant(throttled);
      assert.ok(Number(throttled.headers.get('retry-after')) > 0);

      // While throttled, right credentials are refused the same way.
      const right = await signIn(user.username, PASSWORD);
      assertInvalidGrant(right);
      assert.ok(Number(right.headers.get('retry-after')) > 0);
    });
  });
}
