/**
 * The storage contract (src/store/types.ts): one suite, run on SQLite and on PostgreSQL, so that
 * both engines answer every repository method the same way — values, ordering, null handling,
 * time round-trips, conflicts, and the atomic steps that must hold under concurrency.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore, StoreConflict, type Store } from '../src/store/index.js';
import type {
  Client,
  CodeClaim,
  LoginSession,
  NewAuthorizationCode,
  NewRefreshToken,
  RefreshTokenSeed,
  RotationRequest,
  SigningKey,
  StoreEngine,
  User,
} from '../src/store/types.js';
import { freshDatabaseUrl, tempDir, testEngines } from './helpers/engines.js';

/** A base time with milliseconds, so that a round-trip that loses them shows. */
const T0 = new Date('2031-05-04T10:20:30.456Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Opens a migrated store on a new, empty database of `engine`. */
async function freshStore(engine: StoreEngine): Promise<Store> {
  const store = await openStore(await freshDatabaseUrl(engine), { poolSize: 12 });
  await store.migrate();
  return store;
}

function newUser(store: Store, username = unique('user')): Promise<User> {
  return store.users.create({ username, passwordHash: 'argon2-hash' });
}

function newClient(store: Store, overrides: Partial<Client> = {}): Promise<Client> {
  return store.clients.create({
    clientId: unique('client'),
    name: 'Test client',
    secretHash: 'secret-hash',
    redirectUris: ['https://rp.example/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile'],
    authMethod: 'client_secret_basic',
    isPublic: false,
    ...overrides,
  });
}

function codeFor(user: User, client: Client, expiresAt = at(60)): NewAuthorizationCode {
  return {
    codeHash: unique('code'),
    clientId: client.clientId,
    userId: user.id,
    redirectUri: client.redirectUris[0],
    scope: ['profile', 'openid'],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    nonce: null,
    authTime: at(-5),
    maxAgeRequested: false,
    sessionId: null,
    expiresAt,
  };
}

function tokenFor(user: User | null, client: Client, fields: Partial<NewRefreshToken> = {}) {
  const token: NewRefreshToken = {
    tokenHash: unique('rt'),
    familyId: unique('family'),
    parentHash: null,
    clientId: client.clientId,
    userId: user?.id ?? null,
    scope: ['openid', 'offline_access'],
    authTime: at(-5),
    issuedAt: T0,
    expiresAt: at(3600),
    familyExpiresAt: at(86_400),
    ...fields,
  };
  return token;
}

/** A key as KeyRing would make it; only the stored fields matter here. */
function keyFor(alg: SigningKey['alg'], createdAt = T0): SigningKey {
  const kid = unique(alg.toLowerCase());
  return {
    kid,
    alg,
    use: 'sig',
    publicJwk: { kty: alg === 'ES256' ? 'EC' : 'RSA', kid, alg, use: 'sig', n: 'x', e: 'AQAB' },
    privateKey: `-----BEGIN PRIVATE KEY-----\n${kid}\n-----END PRIVATE KEY-----\n`,
    encrypted: false,
    createdAt,
    retiredAt: null,
    expiresAt: null,
  };
}

/** What grantEverything stored. */
interface Granted {
  user: User;
  client: Client;
  code: NewAuthorizationCode;
  token: NewRefreshToken;
  session: LoginSession | null;
}

/** A user and a client with a code, a refresh token, a session and a consent between them. */
async function grantEverything(store: Store): Promise<Granted> {
  const user = await newUser(store);
  const client = await newClient(store);
  const code = codeFor(user, client);
  const token = tokenFor(user, client);
  const session = { idHash: unique('s'), userId: user.id, authTime: T0, expiresAt: at(60) };
  await store.codes.create(code);
  await store.refreshTokens.create(token);
  await store.sessions.create(session);
  await store.consents.grant(user.id, client.clientId, ['openid'], T0);
  return { user, client, code, token, session };
}

/** Asserts that the code, token, consent and (unless null) session are gone. */
async function assertGrantsGone(store: Store, granted: Granted): Promise<void> {
  const { user, client, code, token, session } = granted;
  assert.equal(await store.consents.find(user.id, client.clientId), null);
  assert.equal(await store.codes.find(code.codeHash), null);
  assert.equal(await store.refreshTokens.find(token.tokenHash), null);
  if (session) assert.equal(await store.sessions.find(session.idHash, T0), null);
}

/** Asserts that `promise` rejects with a StoreConflict naming `field`. */
async function assertConflict(promise: Promise<unknown>, entity: string, field: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StoreConflict, `expected StoreConflict, got ${String(error)}`);
    assert.equal(error.code, 'ERR_STORE_CONFLICT');
    assert.equal(error.entity, entity);
    assert.equal(error.field, field);
    assert.match(error.message, new RegExp(`${field} already exists`));
    return true;
  });
}

for (const engine of testEngines()) {
  describe(`store contract (${engine})`, () => {
    let store: Store;
    before(async () => {
      store = await freshStore(engine);
    });
    after(() => store.close());

    describe('migrations and health', () => {
      test('migrating again applies nothing', async () => {
        assert.deepEqual(await store.migrate(), { applied: [] });
      });

      test('a fresh database gets every migration once, even from concurrent callers', async () => {
        const url = await freshDatabaseUrl(engine);
        const stores = await Promise.all([1, 2, 3].map(() => openStore(url, { poolSize: 2 })));
        try {
          const results = await Promise.all(stores.map((each) => each.migrate()));
          const appliers = results.filter((result) => result.applied.length > 0);
          assert.equal(appliers.length, 1);
          assert.deepEqual(appliers[0].applied, ['001-initial']);
          assert.deepEqual(await stores[0].migrate(), { applied: [] });
        } finally {
          await Promise.all(stores.map((each) => each.close()));
        }
      });

      test('ping answers while the database is reachable', async () => {
        await store.ping();
      });
    });

    describe('users', () => {
      test('create fills the defaults and every find answers the same user', async () => {
        const user = await store.users.create({ username: unique('ann'), passwordHash: 'h' });
        assert.equal(typeof user.id, 'string');
        assert.equal(user.email, null);
        assert.equal(user.name, null);
        assert.equal(user.isAdmin, false);
        assert.equal(user.failedLogins, 0);
        assert.equal(user.lockedUntil, null);
        assert.ok(user.createdAt instanceof Date && !Number.isNaN(user.createdAt.getTime()));

        assert.deepEqual(await store.users.findById(user.id), user);
        assert.deepEqual(await store.users.findByUsername(user.username), user);
        assert.equal(await store.users.findByEmail('nobody@example.com'), null);
      });

      test('email, name and admin round-trip; lookups by email find the user', async () => {
        const email = `${unique('bea')}@example.com`;
        const user = await store.users.create({
          username: unique('bea'),
          email,
          name: 'Bea Ö',
          passwordHash: 'h',
          isAdmin: true,
        });
        assert.equal(user.email, email);
        assert.equal(user.name, 'Bea Ö');
        assert.equal(user.isAdmin, true);
        assert.deepEqual(await store.users.findByEmail(email), user);
      });

      test('unknown or unstorable keys find nothing', async () => {
        assert.equal(await store.users.findById(randomUUID()), null);
        assert.equal(await store.users.findById('not a uuid'), null);
        assert.equal(await store.users.findByUsername('nul\u0000byte'), null);
        assert.equal(await store.users.findByEmail('nul\u0000@example.com'), null);
      });

      test('a duplicate username or email is a StoreConflict naming the column', async () => {
        const email = `${unique('cy')}@example.com`;
        const user = await store.users.create({ username: unique('cy'), email, passwordHash: 'h' });
        await assertConflict(newUser(store, user.username), 'user', 'username');
        await assertConflict(
          store.users.create({ username: unique('cy'), email, passwordHash: 'h' }),
          'user',
          'email',
        );
        // Many users may have no email.
        await newUser(store);
        await newUser(store);
      });

      test('list is ordered by username, code point by code point', async () => {
        const fresh = await freshStore(engine);
        try {
          const names = ['bob', 'Alice', 'alice', '_x', 'Zed', 'émile', 'a-b', 'a_b', 'ab'];
          for (const name of names) await newUser(fresh, name);
          const listed = (await fresh.users.list()).map((user) => user.username);
          assert.deepEqual(listed, [...names].sort());
        } finally {
          await fresh.close();
        }
      });

      test('sign-in attempts count up and lock at the threshold; a success resets', async () => {
        const user = await newUser(store);
        const count = (now: Date) => store.users.countSignInAttempt(user.id, now, 3, at(900));
        assert.equal(await count(T0), 1);
        assert.equal(await count(T0), 2);
        assert.equal((await store.users.findById(user.id))?.lockedUntil, null);
        // The attempt that makes the threshold locks; while locked, nothing is counted.
        assert.equal(await count(T0), 3);
        assert.equal(await count(at(899)), null);
        let found = await store.users.findById(user.id);
        assert.equal(found?.failedLogins, 3);
        assert.deepEqual(found?.lockedUntil, at(900));
        // Once the lock has run out, one more attempt is counted (and locks again).
        assert.equal(await store.users.countSignInAttempt(user.id, at(900), 3, at(1800)), 4);
        assert.deepEqual((await store.users.findById(user.id))?.lockedUntil, at(1800));

        await store.users.recordSuccessfulLogin(user.id);
        found = await store.users.findById(user.id);
        assert.equal(found?.failedLogins, 0);
        assert.equal(found?.lockedUntil, null);
        assert.equal(await store.users.countSignInAttempt(randomUUID(), T0, 3, at(900)), null);
      });

      test('of 10 concurrent sign-in attempts exactly the threshold is counted', async () => {
        const user = await newUser(store);
        const attempt = () => store.users.countSignInAttempt(user.id, T0, 4, at(900));
        const counts = await Promise.all(Array.from({ length: 10 }, attempt));
        assert.deepEqual(counts.filter((c) => c !== null).sort(), [1, 2, 3, 4]);
      });

      test('delete removes the user with its sessions, consents, codes and tokens', async () => {
        const granted = await grantEverything(store);
        const { user, client } = granted;
        assert.equal(await store.users.delete(user.id), true);
        assert.equal(await store.users.findById(user.id), null);
        await assertGrantsGone(store, granted);
        assert.equal(await store.users.delete(user.id), false);
        assert.ok(await store.clients.find(client.clientId));
      });
    });

    describe('clients', () => {
      test('create and find keep every field, list order as given', async () => {
        const client = await newClient(store, {
          redirectUris: ['https://b.example/cb', 'http://127.0.0.1/cb', 'https://a.example/cb'],
          grantTypes: ['refresh_token', 'authorization_code', 'password'],
          scopes: ['profile', 'openid', 'email'],
        });
        assert.deepEqual(client.redirectUris, [
          'https://b.example/cb',
          'http://127.0.0.1/cb',
          'https://a.example/cb',
        ]);
        assert.deepEqual(client.scopes, ['profile', 'openid', 'email']);
        assert.deepEqual(await store.clients.find(client.clientId), client);
        assert.equal(await store.clients.find(unique('missing')), null);
        assert.equal(await store.clients.find('nul\u0000client'), null);
      });

      test('a public client keeps its null secret and empty lists', async () => {
        const client = await newClient(store, {
          secretHash: null,
          redirectUris: [],
          grantTypes: ['client_credentials'],
          scopes: [],
          authMethod: 'none',
          isPublic: true,
        });
        const found = await store.clients.find(client.clientId);
        assert.equal(found?.secretHash, null);
        assert.deepEqual(found?.redirectUris, []);
        assert.deepEqual(found?.scopes, []);
        assert.equal(found?.isPublic, true);
        assert.equal(found?.authMethod, 'none');
      });

      test('a duplicate client_id is a StoreConflict', async () => {
        const client = await newClient(store);
        const again = newClient(store, { clientId: client.clientId });
        await assertConflict(again, 'client', 'client_id');
      });

      test('writes made together: a conflict fails alone, the others are kept', async () => {
        // Issued in one tick, so that the SQLite writer commits them as one group.
        const taken = await newClient(store);
        const clientIds = [unique('a'), taken.clientId, unique('b'), unique('c')];
        const results = await Promise.allSettled(
          clientIds.map((clientId) => newClient(store, { clientId })),
        );
        assert.deepEqual(
          results.map((result) => result.status),
          ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
        );
        assert.ok((results[1] as PromiseRejectedResult).reason instanceof StoreConflict);
        for (const clientId of [clientIds[0], clientIds[2], clientIds[3]]) {
          assert.equal((await store.clients.find(clientId))?.clientId, clientId);
        }
      });

      test('list is ordered by client_id', async () => {
        const fresh = await freshStore(engine);
        try {
          const ids = ['web', 'Web', 'cli-2', 'cli_1', 'cli10'];
          for (const clientId of ids) await newClient(fresh, { clientId });
          const listed = (await fresh.clients.list()).map((client) => client.clientId);
          assert.deepEqual(listed, [...ids].sort());
        } finally {
          await fresh.close();
        }
      });

      test('delete removes the client with its consents, codes and tokens', async () => {
        const granted = await grantEverything(store);
        const { user, client } = granted;
        assert.equal(await store.clients.delete(client.clientId), true);
        assert.equal(await store.clients.find(client.clientId), null);
        await assertGrantsGone(store, { ...granted, session: null });
        assert.equal(await store.clients.delete(client.clientId), false);
        assert.ok(await store.users.findById(user.id));
      });
    });

    describe('scopes', () => {
      test('the built-in scopes exist after migration', async () => {
        for (const name of ['openid', 'profile', 'email', 'offline_access']) {
          const scope = await store.scopes.find(name);
          assert.equal(scope?.builtIn, true, name);
          assert.equal(typeof scope?.description, 'string');
        }
      });

      test('created scopes are not built in; description defaults to null', async () => {
        const name = unique('api:read');
        const scope = await store.scopes.create({ name });
        assert.deepEqual(scope, { name, description: null, builtIn: false });
        assert.deepEqual(await store.scopes.find(name), scope);
        const described = await store.scopes.create({ name: unique('w'), description: 'Write' });
        assert.equal(described.description, 'Write');
        assert.equal(await store.scopes.find(unique('missing')), null);
        assert.equal(await store.scopes.find('nul\u0000scope'), null);
      });

      test('a duplicate name is a StoreConflict', async () => {
        await assertConflict(store.scopes.create({ name: 'openid' }), 'scope', 'name');
      });

      test('list is ordered by name', async () => {
        await store.scopes.create({ name: unique('Admin') });
        await store.scopes.create({ name: unique('_internal') });
        const names = (await store.scopes.list()).map((scope) => scope.name);
        assert.ok(names.includes('openid'));
        assert.deepEqual(names, [...names].sort());
      });
    });

    describe('authorization codes', () => {
      let user: User;
      let client: Client;
      before(async () => {
        user = await newUser(store);
        client = await newClient(store);
      });

      test('consume spends a code once; later calls see a replay', async () => {
        const code = { ...codeFor(user, client), nonce: 'n-0S6_WzA2Mj', sessionId: unique('s') };
        await store.codes.create({ ...code, maxAgeRequested: true });

        const first = await store.codes.consume(code.codeHash, at(1));
        assert.equal(first.status, 'consumed');
        assert.deepEqual(first.status === 'consumed' && first.code, {
          ...code,
          maxAgeRequested: true,
          consumedAt: at(1),
          issuedJti: null,
          issuedJtiExpiresAt: null,
          issuedFamilyId: null,
        });

        const second = await store.codes.consume(code.codeHash, at(2));
        assert.equal(second.status, 'replayed');
        assert.deepEqual(second.status === 'replayed' && second.code.consumedAt, at(1));
        assert.deepEqual(await store.codes.consume(unique('code'), at(2)), {
          status: 'not_found',
        });
      });

      test('of 10 concurrent consumptions exactly one wins', async () => {
        const code = codeFor(user, client);
        await store.codes.create(code);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.codes.consume(code.codeHash, at(i))),
        );
        const statuses = results.map((result) => result.status);
        assert.equal(statuses.filter((status) => status === 'consumed').length, 1);
        assert.equal(statuses.filter((status) => status === 'replayed').length, 9);
      });

      /** A claim that holds for `code` at `now`. */
      function claimFor(code: NewAuthorizationCode, now = at(1)): CodeClaim {
        const { clientId, redirectUri, codeChallenge } = code;
        return { clientId, redirectUri, codeChallenge, now };
      }

      function seedFor(): RefreshTokenSeed {
        const { tokenHash, familyId, issuedAt, expiresAt, familyExpiresAt } = tokenFor(
          user,
          client,
        );
        return { tokenHash, familyId, issuedAt, expiresAt, familyExpiresAt };
      }

      test('redeem spends the code, records what it issued, stores the refresh token', async () => {
        const code = { ...codeFor(user, client), scope: ['openid', 'offline_access', 'profile'] };
        await store.codes.create(code);
        const seed = seedFor();
        const redemption = { jti: 'jti-1', jtiExpiresAt: at(300), refreshToken: seed };
        const result = await store.codes.redeem(code.codeHash, claimFor(code), redemption);

        const spent = {
          ...code,
          consumedAt: at(1),
          issuedJti: 'jti-1',
          issuedJtiExpiresAt: at(300),
          issuedFamilyId: seed.familyId,
        };
        assert.deepEqual(result, { status: 'redeemed', code: spent });
        assert.deepEqual(await store.codes.find(code.codeHash), spent);
        // The refresh token takes client, user, scope and auth_time from the code.
        assert.deepEqual(await store.refreshTokens.find(seed.tokenHash), {
          ...seed,
          parentHash: null,
          clientId: client.clientId,
          userId: user.id,
          scope: code.scope,
          authTime: code.authTime,
          usedAt: null,
          revokedAt: null,
        });

        // Spent codes redeem no more, and store nothing more.
        const again = { jti: 'jti-2', jtiExpiresAt: at(300), refreshToken: seedFor() };
        const second = await store.codes.redeem(code.codeHash, claimFor(code, at(2)), again);
        assert.deepEqual(second, { status: 'replayed', code: spent });
        assert.equal(await store.refreshTokens.find(again.refreshToken.tokenHash), null);
        const unknown = { ...codeFor(user, client), codeHash: unique('code') };
        const missing = await store.codes.redeem(unknown.codeHash, claimFor(unknown), again);
        assert.deepEqual(missing, { status: 'not_found' });
        assert.equal(await store.refreshTokens.find(again.refreshToken.tokenHash), null);
        assert.equal(await store.codes.find(unknown.codeHash), null);
      });

      test('only offline_access, or a scope without openid, earns the refresh token', async () => {
        const cases: Array<[string[], boolean]> = [
          [['openid', 'profile'], false],
          [['openid', 'offline_access'], true],
          [['api.read'], true],
          [['offline_access', 'api.read'], true],
        ];
        for (const [scope, earns] of cases) {
          const code = { ...codeFor(user, client), scope };
          await store.codes.create(code);
          const seed = seedFor();
          const redemption = { jti: unique('jti'), jtiExpiresAt: at(300), refreshToken: seed };
          const result = await store.codes.redeem(code.codeHash, claimFor(code), redemption);
          assert.equal(result.status, 'redeemed', scope.join(' '));
          const familyId = result.status === 'redeemed' ? result.code.issuedFamilyId : undefined;
          assert.equal(familyId, earns ? seed.familyId : null, scope.join(' '));
          const stored = await store.refreshTokens.find(seed.tokenHash);
          assert.equal(stored !== null, earns, scope.join(' '));
        }
      });

      test('a redemption without a refresh token records no family', async () => {
        const code = { ...codeFor(user, client), scope: ['api.read'] };
        await store.codes.create(code);
        const redemption = { jti: 'jti-3', jtiExpiresAt: at(300), refreshToken: null };
        const result = await store.codes.redeem(code.codeHash, claimFor(code), redemption);
        assert.equal(result.status, 'redeemed');
        const spent = await store.codes.find(code.codeHash);
        assert.equal(spent?.issuedJti, 'jti-3');
        assert.equal(spent?.issuedFamilyId, null);
        // consume() sees a redeemed code as a replay.
        assert.equal((await store.codes.consume(code.codeHash, at(2))).status, 'replayed');
      });

      test('a claim that does not hold spends the code and issues nothing', async () => {
        const other = await newClient(store);
        const wrong: Array<[string, (code: NewAuthorizationCode) => CodeClaim]> = [
          ['another client', (code) => ({ ...claimFor(code), clientId: other.clientId })],
          ['expired', (code) => claimFor(code, code.expiresAt)],
          ['redirect_uri', (code) => ({ ...claimFor(code), redirectUri: `${code.redirectUri}/` })],
          ['challenge', (code) => ({ ...claimFor(code), codeChallenge: `${code.codeChallenge}x` })],
        ];
        for (const [what, claim] of wrong) {
          const code = { ...codeFor(user, client), scope: ['api.read'] };
          await store.codes.create(code);
          const seed = seedFor();
          const redemption = { jti: unique('jti'), jtiExpiresAt: at(300), refreshToken: seed };
          const result = await store.codes.redeem(code.codeHash, claim(code), redemption);
          const consumedAt = claim(code).now;
          const spent = { ...code, consumedAt, issuedJti: null, issuedJtiExpiresAt: null };
          assert.deepEqual(result, { status: 'refused', code: { ...spent, issuedFamilyId: null } });
          assert.equal(await store.refreshTokens.find(seed.tokenHash), null, what);
          // A code is good for one attempt: the right claim now finds it spent.
          const retry = await store.codes.redeem(code.codeHash, claimFor(code), redemption);
          assert.equal(retry.status, 'replayed', what);
        }

        // A request without redirect_uri (OAuth 2.1 §4.1.3) claims nothing about it.
        const code = codeFor(user, client);
        await store.codes.create(code);
        const redemption = { jti: unique('jti'), jtiExpiresAt: at(300), refreshToken: null };
        const claim = { ...claimFor(code), redirectUri: null };
        const result = await store.codes.redeem(code.codeHash, claim, redemption);
        assert.equal(result.status, 'redeemed');
      });

      test('of 10 concurrent redemptions exactly one wins and stores its token', async () => {
        const code = { ...codeFor(user, client), scope: ['api.read'] };
        await store.codes.create(code);
        const seeds = Array.from({ length: 10 }, () => seedFor());
        const results = await Promise.all(
          seeds.map((refreshToken, i) => {
            const redemption = { jti: `j${i}`, jtiExpiresAt: at(300), refreshToken };
            return store.codes.redeem(code.codeHash, claimFor(code, at(i)), redemption);
          }),
        );
        const statuses = results.map((result) => result.status);
        assert.equal(statuses.filter((status) => status === 'redeemed').length, 1);
        assert.equal(statuses.filter((status) => status === 'replayed').length, 9);
        const winner = statuses.indexOf('redeemed');
        const spent = await store.codes.find(code.codeHash);
        assert.equal(spent?.issuedJti, `j${winner}`);
        for (const [i, seed] of seeds.entries()) {
          const stored = await store.refreshTokens.find(seed.tokenHash);
          assert.equal(stored !== null, i === winner);
        }
      });

      test('a duplicate code hash is a StoreConflict', async () => {
        const code = codeFor(user, client);
        await store.codes.create(code);
        await assertConflict(store.codes.create(code), 'authorization code', 'code_hash');
      });
    });

    describe('refresh tokens', () => {
      let user: User;
      let client: Client;
      before(async () => {
        user = await newUser(store);
        client = await newClient(store);
      });

      test('create and find round-trip every field', async () => {
        const token = tokenFor(user, client, { scope: ['offline_access', 'openid'] });
        await store.refreshTokens.create(token);
        assert.deepEqual(await store.refreshTokens.find(token.tokenHash), {
          ...token,
          usedAt: null,
          revokedAt: null,
        });
        const bare = tokenFor(null, client, { authTime: null });
        await store.refreshTokens.create(bare);
        const found = await store.refreshTokens.find(bare.tokenHash);
        assert.equal(found?.userId, null);
        assert.equal(found?.authTime, null);
        assert.equal(await store.refreshTokens.find(unique('rt')), null);
        await assertConflict(store.refreshTokens.create(token), 'refresh token', 'token_hash');
      });

      /** A rotation request by `by` for a successor living until `expiresAt`. */
      const rotation = (by: Client, fields: Partial<RotationRequest> = {}): RotationRequest => ({
        clientId: by.clientId,
        scope: null,
        nextHash: unique('rt'),
        nextExpiresAt: at(9999),
        ...fields,
      });

      test('rotate spends the token and stores its successor in the family', async () => {
        const first = tokenFor(user, client, { familyExpiresAt: at(7200) });
        await store.refreshTokens.create(first);
        const request = rotation(client);
        const result = await store.refreshTokens.rotate(first.tokenHash, request, at(10));

        assert.ok(result);
        assert.deepEqual(result.previous, { ...first, usedAt: at(10), revokedAt: null });
        // Family, client, user, scope and auth_time come from the spent token; the family's end
        // caps the successor's own lifetime.
        assert.deepEqual(result.next, {
          ...first,
          tokenHash: request.nextHash,
          parentHash: first.tokenHash,
          issuedAt: at(10),
          expiresAt: at(7200),
          usedAt: null,
          revokedAt: null,
        });
        assert.deepEqual(await store.refreshTokens.find(request.nextHash), result.next);
      });

      test('a narrower scope rotates; a wider one is refused', async () => {
        const first = tokenFor(user, client, { scope: ['openid', 'offline_access'] });
        await store.refreshTokens.create(first);
        const wider = rotation(client, { scope: ['openid', 'email'] });
        assert.equal(await store.refreshTokens.rotate(first.tokenHash, wider, at(1)), null);
        const narrower = rotation(client, { scope: ['openid'] });
        const result = await store.refreshTokens.rotate(first.tokenHash, narrower, at(2));
        // The successor keeps the scope granted; narrowing is for the access token.
        assert.deepEqual(result?.next.scope, ['openid', 'offline_access']);
      });

      test('rotate refuses, changing nothing, a token that may not be spent', async () => {
        const other = await newClient(store);
        const spent = tokenFor(user, client);
        const revoked = tokenFor(user, client);
        const expired = tokenFor(user, client, { expiresAt: at(5) });
        const familyOver = tokenFor(user, client, { familyExpiresAt: at(5) });
        const userless = tokenFor(null, client);
        const parent = tokenFor(user, client);
        const orphan = tokenFor(user, client, { parentHash: parent.tokenHash });
        const all = [spent, revoked, expired, familyOver, userless, parent, orphan];
        for (const token of all) await store.refreshTokens.create(token);
        await store.refreshTokens.rotate(spent.tokenHash, rotation(client), at(1));
        await store.refreshTokens.revokeFamily(revoked.familyId, at(1));
        await store.refreshTokens.revokeFamily(parent.familyId, at(1));

        const refused: [NewRefreshToken, Client, string][] = [
          [spent, client, 'spent'],
          [revoked, client, 'revoked'],
          [expired, client, 'expired'],
          [familyOver, client, 'family over'],
          [userless, client, 'no user'],
          [orphan, client, 'parent revoked'],
          [tokenFor(user, client), other, 'another client'],
        ];
        await store.refreshTokens.create(refused[6][0]);
        for (const [token, by, why] of refused) {
          const before = await store.refreshTokens.find(token.tokenHash);
          const request = rotation(by);
          const result = await store.refreshTokens.rotate(token.tokenHash, request, at(10));
          assert.equal(result, null, why);
          assert.deepEqual(await store.refreshTokens.find(token.tokenHash), before, why);
          assert.equal(await store.refreshTokens.find(request.nextHash), null, why);
        }
      });

      test('rotating an unknown token finds nothing and stores nothing', async () => {
        const request = rotation(client);
        assert.equal(await store.refreshTokens.rotate(unique('rt'), request, T0), null);
        assert.equal(await store.refreshTokens.find(request.nextHash), null);
      });

      test('of 10 concurrent rotations exactly one wins', async () => {
        // Several rounds, because a wrong implementation loses only some of the races.
        for (let round = 0; round < 5; round++) {
          const first = tokenFor(user, client);
          await store.refreshTokens.create(first);
          const requests = Array.from({ length: 10 }, () => rotation(client));
          const results = await Promise.all(
            requests.map((req, i) => store.refreshTokens.rotate(first.tokenHash, req, at(i))),
          );

          const winners = results.filter((result) => result !== null);
          assert.equal(winners.length, 1);
          for (const request of requests) {
            const found = await store.refreshTokens.find(request.nextHash);
            assert.equal(found !== null, request.nextHash === winners[0]!.next.tokenHash);
          }
          assert.notEqual((await store.refreshTokens.find(first.tokenHash))?.usedAt, null);
        }
      });

      test('revokeFamily revokes only live tokens of that family and counts them', async () => {
        const first = tokenFor(user, client);
        await store.refreshTokens.create(first);
        const second = rotation(client);
        await store.refreshTokens.rotate(first.tokenHash, second, at(1));
        const other = tokenFor(user, client);
        await store.refreshTokens.create(other);

        assert.equal(await store.refreshTokens.revokeFamily(first.familyId, at(2)), 2);
        assert.equal(await store.refreshTokens.revokeFamily(first.familyId, at(3)), 0);
        assert.deepEqual((await store.refreshTokens.find(second.nextHash))?.revokedAt, at(2));
        assert.equal((await store.refreshTokens.find(other.tokenHash))?.revokedAt, null);
      });
    });

    describe('revoked access tokens', () => {
      test('a revoked jti is denied; others are not', async () => {
        const jti = unique('jti');
        assert.equal(await store.revokedTokens.isRevoked(jti), false);
        await store.revokedTokens.revoke(jti, at(300));
        assert.equal(await store.revokedTokens.isRevoked(jti), true);
        // Revoking again is not an error.
        await store.revokedTokens.revoke(jti, at(100));
        assert.equal(await store.revokedTokens.isRevoked(jti), true);
      });
    });

    describe('login sessions', () => {
      test('a session is found until it expires, and not after delete', async () => {
        const user = await newUser(store);
        const session = { idHash: unique('s'), userId: user.id, authTime: T0, expiresAt: at(60) };
        await store.sessions.create(session);
        assert.deepEqual(await store.sessions.find(session.idHash, at(59)), session);
        assert.equal(await store.sessions.find(session.idHash, at(60)), null);
        await assertConflict(store.sessions.create(session), 'login session', 'id_hash');

        await store.sessions.delete(session.idHash);
        assert.equal(await store.sessions.find(session.idHash, T0), null);
        await store.sessions.delete(session.idHash);
      });
    });

    describe('consents', () => {
      let user: User;
      let client: Client;
      before(async () => {
        user = await newUser(store);
        client = await newClient(store);
      });

      test('grant merges scopes, keeping the order first granted', async () => {
        assert.equal(await store.consents.find(user.id, client.clientId), null);
        await store.consents.grant(user.id, client.clientId, ['openid', 'profile', 'openid'], T0);
        await store.consents.grant(user.id, client.clientId, ['email', 'openid'], at(5));
        assert.deepEqual(await store.consents.find(user.id, client.clientId), {
          userId: user.id,
          clientId: client.clientId,
          scope: ['openid', 'profile', 'email'],
          grantedAt: at(5),
        });
      });

      test('concurrent grants keep every scope', async () => {
        const other = await newClient(store);
        const scopes = Array.from({ length: 8 }, (_, i) => `scope-${i}`);
        await Promise.all(
          scopes.map((scope) => store.consents.grant(user.id, other.clientId, [scope], T0)),
        );
        const consent = await store.consents.find(user.id, other.clientId);
        assert.deepEqual([...(consent?.scope ?? [])].sort(), scopes);
      });

      test('revoke forgets the consent', async () => {
        const other = await newClient(store);
        await store.consents.grant(user.id, other.clientId, ['openid'], T0);
        await store.consents.revoke(user.id, other.clientId);
        assert.equal(await store.consents.find(user.id, other.clientId), null);
        await store.consents.revoke(user.id, other.clientId);
      });
    });

    describe('signing keys', () => {
      test('ensureInitial creates one key per alg once, however often it is called', async () => {
        const fresh = await freshStore(engine);
        try {
          const rounds = await Promise.all(
            Array.from({ length: 6 }, () =>
              fresh.keys.ensureInitial([keyFor('ES256'), keyFor('RS256')]),
            ),
          );
          const kids = rounds.map((active) => active.map((key) => `${key.alg}:${key.kid}`));
          for (const each of kids) assert.deepEqual(each, kids[0]);
          assert.deepEqual(rounds[0].map((key) => key.alg), ['ES256', 'RS256']);

          const later = await fresh.keys.ensureInitial([keyFor('ES256'), keyFor('RS256')]);
          assert.deepEqual(later, rounds[0]);
          assert.equal((await fresh.keys.listAll()).length, 2);
        } finally {
          await fresh.close();
        }
      });

      test('create round-trips a key; a duplicate kid is a StoreConflict', async () => {
        const fresh = await freshStore(engine);
        try {
          const key = { ...keyFor('ES256'), encrypted: true };
          await fresh.keys.create(key);
          assert.deepEqual(await fresh.keys.listAll(), [key]);
          await assertConflict(
            fresh.keys.create({ ...key, retiredAt: T0 }),
            'signing key',
            'kid',
          );
          // A second active key of one alg breaks the one-active-key rule.
          await assertConflict(fresh.keys.create(keyFor('ES256')), 'signing key', 'alg');
        } finally {
          await fresh.close();
        }
      });

      test('rotate retires the active key and keeps it published until it expires', async () => {
        const fresh = await freshStore(engine);
        try {
          const [es, rs] = await fresh.keys.ensureInitial([keyFor('ES256'), keyFor('RS256')]);
          const newer = keyFor('ES256', at(100));
          await fresh.keys.rotate(newer, at(1000), at(100));

          const all = await fresh.keys.listAll();
          assert.deepEqual(all.map((key) => key.kid), [newer.kid, es.kid, rs.kid]);
          assert.deepEqual(all[1], { ...es, retiredAt: at(100), expiresAt: at(1000) });
          const published = (now: Date) =>
            fresh.keys.listPublished(now).then((keys) => keys.map((key) => key.kid));
          assert.deepEqual(await published(at(999)), [newer.kid, es.kid, rs.kid]);
          assert.deepEqual(await published(at(1000)), [newer.kid, rs.kid]);

          const active = await fresh.keys.ensureInitial([]);
          assert.deepEqual(active.map((key) => key.kid), [newer.kid, rs.kid]);
        } finally {
          await fresh.close();
        }
      });

      test('concurrent rotations each retire the key before them', async () => {
        const fresh = await freshStore(engine);
        try {
          await fresh.keys.ensureInitial([keyFor('ES256'), keyFor('RS256')]);
          const newer = [1, 2, 3, 4].map((i) => keyFor('ES256', at(i)));
          await Promise.all(newer.map((key, i) => fresh.keys.rotate(key, at(500), at(i + 1))));
          const es = (await fresh.keys.listAll()).filter((key) => key.alg === 'ES256');
          assert.equal(es.length, 5);
          assert.equal(es.filter((key) => key.retiredAt === null).length, 1);
        } finally {
          await fresh.close();
        }
      });
    });

    test('deleteExpired removes only what has expired, in every table', async () => {
      const fresh = await freshStore(engine);
      try {
        const user = await newUser(fresh);
        const client = await newClient(fresh);
        const now = at(100);
        const expiring = [at(50), now];
        const lasting = at(101);

        const codes = [...expiring, lasting].map((expiresAt) => codeFor(user, client, expiresAt));
        for (const code of codes) await fresh.codes.create(code);
        const tokens = [...expiring, lasting].map((expiresAt) =>
          tokenFor(user, client, { expiresAt }),
        );
        for (const token of tokens) await fresh.refreshTokens.create(token);
        const jtis = [...expiring, lasting].map((expiresAt) => ({ jti: unique('jti'), expiresAt }));
        for (const { jti, expiresAt } of jtis) await fresh.revokedTokens.revoke(jti, expiresAt);
        const sessions = [...expiring, lasting].map((expiresAt) => ({
          idHash: unique('s'),
          userId: user.id,
          authTime: T0,
          expiresAt,
        }));
        for (const session of sessions) await fresh.sessions.create(session);

        assert.equal(await fresh.codes.deleteExpired(now), 2);
        assert.equal(await fresh.refreshTokens.deleteExpired(now), 2);
        assert.equal(await fresh.revokedTokens.deleteExpired(now), 2);
        assert.equal(await fresh.sessions.deleteExpired(now), 2);

        const [gone, kept] = [codes.slice(0, 2), codes[2]];
        for (const code of gone) {
          assert.deepEqual(await fresh.codes.consume(code.codeHash, now), { status: 'not_found' });
        }
        assert.equal((await fresh.codes.consume(kept.codeHash, now)).status, 'consumed');
        assert.deepEqual(
          await Promise.all(tokens.map((token) => fresh.refreshTokens.find(token.tokenHash))).then(
            (found) => found.map((token) => token !== null),
          ),
          [false, false, true],
        );
        assert.deepEqual(
          await Promise.all(jtis.map(({ jti }) => fresh.revokedTokens.isRevoked(jti))),
          [false, false, true],
        );
        assert.deepEqual(
          await Promise.all(sessions.map(({ idHash }) => fresh.sessions.find(idHash, T0))).then(
            (found) => found.map((session) => session !== null),
          ),
          [false, false, true],
        );
        assert.equal(await fresh.codes.deleteExpired(now), 0);
      } finally {
        await fresh.close();
      }
    });

    test('revoking a jti twice keeps the later expiry', async () => {
      const fresh = await freshStore(engine);
      try {
        const jti = unique('jti');
        await fresh.revokedTokens.revoke(jti, at(300));
        await fresh.revokedTokens.revoke(jti, at(100));
        assert.equal(await fresh.revokedTokens.deleteExpired(at(200)), 0);
        assert.equal(await fresh.revokedTokens.isRevoked(jti), true);
        assert.equal(await fresh.revokedTokens.deleteExpired(at(300)), 1);
        assert.equal(await fresh.revokedTokens.isRevoked(jti), false);
      } finally {
        await fresh.close();
      }
    });
  });
}

describe('opening a store that cannot be reached', () => {
  /** One line, with the stable code, and never the password of the URL. */
  async function assertUnavailable(url: string, pattern: RegExp) {
    await assert.rejects(openStore(url), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_STORE_UNAVAILABLE');
      assert.equal(error.name, 'StoreUnavailable');
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /\n|s3cret/);
      return true;
    });
  }

  test('a PostgreSQL server that is down', async () => {
    const url = 'postgres://authly:s3cret@127.0.0.1:1/authly';
    await assertUnavailable(url, /127\.0\.0\.1:1\/authly/);
  });

  test('a PostgreSQL URL that does not parse', async () => {
    const url = 'postgres://authly:s3cret@db:port/authly';
    await assertUnavailable(url, /not a valid PostgreSQL URL/);
  });

  test('an unknown scheme or an empty SQLite path', async () => {
    await assertUnavailable('mysql://localhost/authly', /DATABASE_URL/);
    await assertUnavailable('sqlite:', /DATABASE_URL/);
  });

  test('a SQLite file that cannot be created', async () => {
    // A regular file where the folder should be.
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    await assertUnavailable(`sqlite:${file}/authly.db`, /cannot open SQLite database/);
  });

  test('a SQLite file that is not a database', async () => {
    const file = join(tempDir(), 'garbage.db');
    writeFileSync(file, 'not a database '.repeat(512));
    await assertUnavailable(`sqlite:${file}`, /not a database/);
  });

  const postgresUrl = process.env.AUTHLY_TEST_POSTGRES_URL;
  test('a PostgreSQL database that does not exist', { skip: !postgresUrl }, async () => {
    const url = new URL(postgresUrl as string);
    url.pathname = `/authly_missing_${process.pid}`;
    url.password = 's3cret';
    await assertUnavailable(url.toString(), /does not exist/);
  });
});
