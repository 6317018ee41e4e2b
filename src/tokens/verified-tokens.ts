/**
 * Access tokens whose signature this process has already checked. Resource servers introspect
 * the same token on every call they receive, and a client reads userinfo with the same token
 * until it expires; an ES256 verification costs about 70 µs, several times the rest of such a
 * request. The cache is keyed by the whole token string, so only the exact bytes that were
 * verified are ever taken from it; an entry counts only while its key is still published; and it
 * holds signature results only: expiry and the revocation list are still checked on every use by
 * the callers.
 */
import type { KeyRing } from '../crypto/key-ring.js';
import { verifyJwt, type DecodedJwt } from '../crypto/jwt.js';
import { ACCESS_TOKEN_TYPE } from './access-token.js';

/** Above this many entries the cache is emptied, so that it never grows without bound. */
const MAX_ENTRIES = 20_000;

// One cache per key ring, so that apps in one process (tests, workers) never share entries.
const caches = new WeakMap<KeyRing, Map<string, DecodedJwt>>();

/**
 * The header and payload of `token` when it is a JWT signed by one of `keys` with the access
 * token `typ`, or null. `nowSeconds` drops an entry whose `exp` has passed.
 */
export function verifiedAccessToken(
  keys: KeyRing,
  token: string,
  nowSeconds: number,
): DecodedJwt | null {
  let cache = caches.get(keys);
  if (!cache) {
    cache = new Map();
    caches.set(keys, cache);
  }

  const cached = cache.get(token);
  if (cached) {
    const { kid, alg } = cached.header;
    const live = (cached.payload.exp as number) > nowSeconds;
    if (live && keys.verificationKey(kid, alg)) return cached;
    cache.delete(token);
  }

  const decoded = verifyJwt(token, (kid, alg) => keys.verificationKey(kid, alg));
  if (!decoded || decoded.header.typ !== ACCESS_TOKEN_TYPE) return null;
  if (typeof decoded.payload.exp === 'number' && decoded.payload.exp > nowSeconds) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(token, decoded);
  }
  return decoded;
}
