/**
 * The authorization_code grant (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3, RFC 7636 §4.6): the code is
 * read, checked, spent and what it issues recorded in one atomic store call (one statement on
 * PostgreSQL); the tokens are signed after it.
 */
import type { AppContext } from '../../context.js';
import { sha256 } from '../../crypto/hash.js';
import { reserveAccessToken } from '../../tokens/access-token.js';
import { refreshTokenSeed } from '../../tokens/refresh-token.js';
import type { AuthorizationCode } from '../../store/types.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Grant, GrantRequest } from './grant.js';
import { checkPkce, checkVerifierFormat, pkceChallenge } from './pkce.js';
import { accessTokenFor, idTokenFor, tokenResponse, type UserGrant } from './user-tokens.js';

/**
 * RFC 6749 §4.1.2: a code used twice is refused and what its first use issued is revoked (RFC
 * 9700 §4.5.3 relies on this to contain a stolen code). The access token's jti is denied until it
 * would expire; the refresh token family is revoked whole, including tokens rotated from it.
 */
async function revokeIssued(ctx: AppContext, code: AuthorizationCode): Promise<void> {
  const now = ctx.clock();
  const revocations: Promise<unknown>[] = [];
  if (code.issuedJti && code.issuedJtiExpiresAt) {
    revocations.push(ctx.store.revokedTokens.revoke(code.issuedJti, code.issuedJtiExpiresAt));
  }
  if (code.issuedFamilyId) {
    revocations.push(ctx.store.refreshTokens.revokeFamily(code.issuedFamilyId, now));
  }
  await Promise.all(revocations);
  ctx.logger.warn(
    { event: 'code.replayed', clientId: code.clientId, revokedJti: code.issuedJti },
    'authorization code used twice; its tokens are revoked',
  );
}

/** The checks on a code just spent at `now`, in RFC 6749 §4.1.3 order. */
function checkCode(
  { client, params }: GrantRequest,
  code: AuthorizationCode,
  verifier: string,
  now: Date,
): void {
  if (code.clientId !== client.clientId) throw new InvalidGrant('code issued to another client');
  if (code.expiresAt <= now) throw new InvalidGrant('code expired');

  // OAuth 2.1 §4.1.3: PKCE binds the code to the client instance, so the token request need not
  // repeat redirect_uri; when it does (OAuth 2.0 and OpenID Connect clients always do), it must
  // be exactly the one the code was issued for (RFC 6749 §4.1.3).
  if (params.redirect_uri !== undefined && params.redirect_uri !== code.redirectUri) {
    throw new InvalidGrant('redirect_uri differs from the authorization request');
  }
  checkPkce(verifier, code.codeChallenge);
}

async function handle(grant: GrantRequest) {
  const { ctx, client, params } = grant;
  if (!params.code) throw new InvalidRequest('code is required');
  const verifier = checkVerifierFormat(params.code_verifier);

  // One store call reads the code, checks what the request claims against it, spends it and
  // records what it issues (the access token's jti, and the refresh token when due): what is
  // issued has to be chosen before the code is read.
  const reserved = reserveAccessToken(ctx);
  const refresh = client.grantTypes.includes('refresh_token') ? refreshTokenSeed(ctx) : null;
  const codeHash = sha256(params.code);
  const result = await ctx.store.codes.redeem(
    codeHash,
    {
      clientId: client.clientId,
      redirectUri: params.redirect_uri ?? null,
      codeChallenge: pkceChallenge(verifier),
      now: reserved.issuedAt,
    },
    { jti: reserved.jti, jtiExpiresAt: reserved.expiresAt, refreshToken: refresh?.seed ?? null },
  );
  if (result.status === 'not_found') throw new InvalidGrant('unknown code');
  const { code } = result;
  if (result.status === 'replayed') {
    await revokeIssued(ctx, code);
    throw new InvalidGrant('code already used');
  }
  // The same checks again, for the error that names what failed; a refused code stays spent.
  checkCode(grant, code, verifier, reserved.issuedAt);
  if (result.status !== 'redeemed') throw new InvalidGrant('the code does not match the request');

  const user: UserGrant = {
    client,
    userId: code.userId,
    scope: code.scope,
    authTime: code.authTime,
    nonce: code.nonce,
  };
  const access = accessTokenFor(ctx, user, reserved);
  // The store decided whether the scope earns a refresh token, and recorded its family if so.
  const refreshToken = code.issuedFamilyId !== null && refresh ? refresh.token : undefined;
  const idToken = await idTokenFor(ctx, user, access.token);
  return tokenResponse(access, refreshToken, idToken);
}

/** grant_type=authorization_code */
export const authorizationCodeGrant: Grant = {
  grantType: 'authorization_code',
  parameters: ['code', 'code_verifier', 'redirect_uri'],
  handle,
};
