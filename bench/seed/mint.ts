/**
 * Single-use credentials minted ahead of a load, one per request: authorization codes (as the
 * authorization endpoint stores them after a sign-in and consent) and refresh tokens (each the
 * first of its own family). They go in through the store, so they have exactly the form the
 * server expects; only their hashes are stored, the values go to the load generator.
 */
import { sha256 } from '../../src/crypto/hash.js';
import { randomId, randomToken } from '../../src/crypto/random.js';
import type { Store } from '../../src/store/types.js';
import { BENCH_CLIENT, BENCH_SCOPE, CODE_CHALLENGE } from './constants.js';

/** Inserts in flight at once: enough to keep a PostgreSQL pool busy; SQLite runs them in turn. */
const PARALLEL = 16;
/** Long enough to outlast any run; the server checks the stored expiry, not the mint time. */
const LIFETIME_MS = 6 * 3600 * 1000;

/** Makes `count` values with `insert`, PARALLEL at a time. */
async function mint(count: number, insert: (value: string) => Promise<void>): Promise<string[]> {
  const values = Array.from({ length: count }, () => randomToken());
  for (let start = 0; start < count; start += PARALLEL) {
    await Promise.all(values.slice(start, start + PARALLEL).map(insert));
  }
  return values;
}

/** Authorization codes for the confidential client, bound to the bench PKCE challenge. */
export function mintCodes(store: Store, userId: string, count: number): Promise<string[]> {
  const now = new Date();
  return mint(count, (code) =>
    store.codes.create({
      codeHash: sha256(code),
      clientId: BENCH_CLIENT.confidential.clientId,
      userId,
      redirectUri: BENCH_CLIENT.redirectUri,
      scope: BENCH_SCOPE.codeFlow,
      codeChallenge: CODE_CHALLENGE,
      codeChallengeMethod: 'S256',
      nonce: null,
      authTime: now,
      maxAgeRequested: false,
      sessionId: null,
      expiresAt: new Date(now.getTime() + LIFETIME_MS),
    }),
  );
}

/** Refresh tokens for the confidential client, each opening a family of its own. */
export function mintRefreshTokens(store: Store, userId: string, count: number): Promise<string[]> {
  const now = new Date();
  return mint(count, (token) =>
    store.refreshTokens.create({
      tokenHash: sha256(token),
      familyId: randomId(),
      parentHash: null,
      clientId: BENCH_CLIENT.confidential.clientId,
      userId,
      scope: BENCH_SCOPE.refresh,
      authTime: now,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_MS),
      familyExpiresAt: new Date(now.getTime() + 2 * LIFETIME_MS),
    }),
  );
}
