/**
 * Signing keys, shared by every worker and node through the database: ES256 signs access tokens,
 * RS256 signs ID tokens (the OpenID Connect default). The ring keeps the active private keys and
 * every published public key in memory, and serves the JWKS from a body serialised once.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { SigningKey, Store } from '../store/types.js';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';
import { randomToken } from './random.js';

export type SigningAlgorithm = SigningKey['alg'];

export const SIGNING_ALGORITHMS: SigningAlgorithm[] = ['ES256', 'RS256'];

/** Creates a new key pair, its private half encrypted when a secret is given. */
export function generateSigningKey(
  alg: SigningAlgorithm,
  secret: string | null,
  now: Date,
): SigningKey {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomToken().slice(0, 16);
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  return {
    kid,
    alg,
    use: 'sig',
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    privateKey: secret ? encryptPrivateKey(pem, secret) : pem,
    encrypted: secret !== null,
    createdAt: now,
    retiredAt: null,
    expiresAt: null,
  };
}

export interface ActiveKey {
  kid: string;
  alg: SigningAlgorithm;
  key: KeyObject;
}

export class KeyRing {
  private active = new Map<SigningAlgorithm, ActiveKey>();
  private published = new Map<string, { alg: string; key: KeyObject }>();
  private jwksBody = '{"keys":[]}';

  private constructor(
    private readonly store: Store,
    private readonly secret: string | null,
    private readonly clock: () => Date,
  ) {}

  /**
   * Loads the keys, creating the first pair on first start (once, across processes). Keys are
   * generated only when an algorithm has no active key: an RSA key costs tens of milliseconds,
   * which every worker would otherwise spend at every start.
   */
  static async load(store: Store, secret: string | null, clock: () => Date): Promise<KeyRing> {
    const ring = new KeyRing(store, secret, clock);
    const now = clock();
    const active = new Set(
      (await store.keys.listPublished(now)).filter((k) => k.retiredAt === null).map((k) => k.alg),
    );
    const missing = SIGNING_ALGORITHMS.filter((alg) => !active.has(alg));
    if (missing.length > 0) {
      await store.keys.ensureInitial(missing.map((alg) => generateSigningKey(alg, secret, now)));
    }
    await ring.reload();
    return ring;
  }

  /** Re-reads the keys from the store (after a rotation by another process). */
  async reload(): Promise<void> {
    const keys = await this.store.keys.listPublished(this.clock());
    const active = new Map<SigningAlgorithm, ActiveKey>();
    const published = new Map<string, { alg: string; key: KeyObject }>();

    for (const stored of keys) {
      published.set(stored.kid, {
        alg: stored.alg,
        key: createPublicKey({ key: stored.publicJwk as never, format: 'jwk' }),
      });
      if (stored.retiredAt === null && !active.has(stored.alg)) {
        const key = this.privateKeyOf(stored);
        active.set(stored.alg, { kid: stored.kid, alg: stored.alg, key });
      }
    }
    for (const alg of SIGNING_ALGORITHMS) {
      if (!active.has(alg)) throw new Error(`no active ${alg} signing key in the store`);
    }

    this.active = active;
    this.published = published;
    this.jwksBody = JSON.stringify({ keys: keys.map((k) => publicMembers(k.publicJwk)) });
  }

  private privateKeyOf(stored: SigningKey): KeyObject {
    if (!stored.encrypted) return createPrivateKey(stored.privateKey);
    if (!this.secret) {
      throw Object.assign(
        new Error('the signing keys are encrypted: set AUTHLY_KEY_ENCRYPTION_SECRET'),
        { code: 'ERR_KEY_DECRYPT' },
      );
    }
    return createPrivateKey(decryptPrivateKey(stored.privateKey, this.secret));
  }

  /** The key that signs new tokens of `alg`. */
  signingKey(alg: SigningAlgorithm): ActiveKey {
    return this.active.get(alg)!;
  }

  /** A published public key, for verifying tokens this server signed. */
  verificationKey(kid: string, alg: string): KeyObject | undefined {
    const found = this.published.get(kid);
    return found && found.alg === alg ? found.key : undefined;
  }

  /** The JWKS document, serialised once per reload. */
  jwks(): string {
    return this.jwksBody;
  }
}

const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'crv', 'x', 'y', 'n', 'e'];

/** Keeps only public members, whatever was stored (RFC 7517 §9.3: never publish private ones). */
function publicMembers(jwk: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => PUBLIC_MEMBERS.includes(name)));
}

/**
 * Adds a new key for each algorithm; the old ones stop signing at once but stay in the JWKS for
 * `publishFor` seconds, until every token they signed has expired.
 */
export async function rotateKeys(
  store: Store,
  secret: string | null,
  publishFor: number,
  now: Date,
): Promise<SigningKey[]> {
  const created: SigningKey[] = [];
  for (const alg of SIGNING_ALGORITHMS) {
    const key = generateSigningKey(alg, secret, now);
    await store.keys.rotate(key, new Date(now.getTime() + publishFor * 1000), now);
    created.push(key);
  }
  return created;
}
