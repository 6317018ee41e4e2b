/**
 * ID tokens (OpenID Connect Core §2, §3.1.3.6), signed RS256 with the active RS256 key. They stay
 * minimal: when an access token is issued alongside, profile and email claims are served by
 * userinfo rather than copied here (Core §5.4).
 */
import type { AppContext } from '../context.js';
import { halfHash, signJwtOffLoop } from '../crypto/jwt.js';

export interface IdTokenRequest {
  /** The user's id (`sub`). */
  subject: string;
  /** The client the token is for: both `aud` and `azp`. */
  clientId: string;
  /** When the user authenticated; Authly always sends `auth_time` (Core §2 allows it). */
  authTime: Date | null;
  /** The authorization request's nonce, echoed unchanged (Core §3.1.3.6); none on refresh. */
  nonce?: string | null;
  /** The access token issued with it, for `at_hash` (Core §3.1.3.8 via §3.3.2.11). */
  accessToken: string;
}

/** Signs an ID token for `request`, on the thread pool (RS256 is the costliest step of a grant). */
export function issueIdToken(ctx: AppContext, request: IdTokenRequest): Promise<string> {
  const iat = Math.floor(ctx.clock().getTime() / 1000);
  const claims: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: request.subject,
    aud: request.clientId,
    // Core §2: azp names the party the token was issued to; sent even with a single audience so
    // that strict clients that compare it find it equal to their client_id.
    azp: request.clientId,
    exp: iat + ctx.config.idTokenTtl,
    iat,
    at_hash: halfHash(request.accessToken),
  };
  if (request.authTime) claims.auth_time = Math.floor(request.authTime.getTime() / 1000);
  if (request.nonce) claims.nonce = request.nonce;

  const { kid, key } = ctx.keys.signingKey('RS256');
  return signJwtOffLoop({ alg: 'RS256', kid, typ: 'JWT' }, claims, key);
}
