/**
 * Tokens that a client hands back for revocation (RFC 7009) or introspection (RFC 7662). Both
 * endpoints take either kind of token; the kind follows from its shape, so `token_type_hint` is
 * never needed (RFC 7009 §2.1 and RFC 7662 §2.1 let the server ignore it).
 */
import type { AppContext } from '../context.js';
import { sha256 } from '../crypto/hash.js';
import { verifyJwt } from '../crypto/jwt.js';
import type { RefreshToken } from '../store/types.js';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from './access-token.js';

/** The token kinds both endpoints know, named as in the `token_type_hint` registry. */
export type TokenKind = 'access_token' | 'refresh_token';

/**
 * Access tokens are JWTs (three dot-separated parts); refresh tokens are base64url random values,
 * which never contain a dot.
 */
export function tokenKind(token: string): TokenKind {
  return token.includes('.') ? 'access_token' : 'refresh_token';
}

/**
 * The claims of an access token this server signed: signature, `typ` and issuer are checked, but
 * not expiry or the revocation list, so that revocation can still tell whose token it is.
 * Answers null for anything else.
 */
export function readAccessToken(ctx: AppContext, token: string): AccessTokenClaims | null {
  const decoded = verifyJwt(token, (kid, alg) => ctx.keys.verificationKey(kid, alg));
  if (!decoded || decoded.header.typ !== ACCESS_TOKEN_TYPE) return null;

  const claims = decoded.payload as Partial<AccessTokenClaims>;
  const complete =
    claims.iss === ctx.config.issuer &&
    typeof claims.exp === 'number' &&
    typeof claims.jti === 'string' &&
    typeof claims.client_id === 'string';
  return complete ? (claims as AccessTokenClaims) : null;
}

/** The stored refresh token that `token` stands for (looked up by its hash), or null. */
export function loadRefreshToken(ctx: AppContext, token: string): Promise<RefreshToken | null> {
  return ctx.store.refreshTokens.find(sha256(token));
}
