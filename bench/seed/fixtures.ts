/**
 * What every benchmark run works with: one user with a login session and remembered consent (also
 * the password-grant user), the API scope, and three clients (confidential, public,
 * password-enabled), created through the store.
 */
import { hashPassword } from '../../src/crypto/password.js';
import { sha256 } from '../../src/crypto/hash.js';
import { randomToken } from '../../src/crypto/random.js';
import type { Store } from '../../src/store/types.js';
import { BENCH_CLIENT, BENCH_SCOPE, BENCH_USER } from './constants.js';

/** What seeding made that the requests need. */
export interface Seeded {
  userId: string;
  /** The `authly_session` cookie value of the signed-in user. */
  sessionCookie: string;
}

/** Creates the users, clients, the API scope, a login session and the consent. */
export async function seedFixtures(store: Store, now: Date): Promise<Seeded> {
  const user = await store.users.create({
    username: BENCH_USER.username,
    email: BENCH_USER.email,
    name: BENCH_USER.name,
    passwordHash: await hashPassword(BENCH_USER.password),
  });
  await store.scopes.create({ name: 'api.read', description: 'Read the benchmark API' });

  const confidential = BENCH_CLIENT.confidential;
  await store.clients.create({
    clientId: confidential.clientId,
    name: 'Benchmark confidential client',
    secretHash: sha256(confidential.secret),
    redirectUris: [BENCH_CLIENT.redirectUri],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes: BENCH_SCOPE.all,
    authMethod: 'client_secret_basic',
    isPublic: false,
  });
  await store.clients.create({
    clientId: BENCH_CLIENT.public.clientId,
    name: 'Benchmark public client',
    secretHash: null,
    redirectUris: [BENCH_CLIENT.redirectUri],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: BENCH_SCOPE.refresh,
    authMethod: 'none',
    isPublic: true,
  });
  await store.clients.create({
    clientId: BENCH_CLIENT.password.clientId,
    name: 'Benchmark password-grant client',
    secretHash: sha256(BENCH_CLIENT.password.secret),
    redirectUris: [BENCH_CLIENT.redirectUri],
    grantTypes: ['password', 'refresh_token'],
    scopes: BENCH_SCOPE.refresh,
    authMethod: 'client_secret_basic',
    isPublic: false,
  });

  const sessionCookie = randomToken();
  const day = 24 * 3600 * 1000;
  await store.sessions.create({
    idHash: sha256(sessionCookie),
    userId: user.id,
    authTime: now,
    expiresAt: new Date(now.getTime() + day),
  });
  await store.consents.grant(user.id, BENCH_CLIENT.public.clientId, BENCH_SCOPE.codeFlow, now);
  return { userId: user.id, sessionCookie };
}
