/**
 * The authorization_code grant (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3, RFC 7636 §4.6): the code is
 * read, checked in the order the specs list, then spent in one atomic store write together with
 * what it issued.
 */
import type { AppContext } from '../../context.js';
import { sha256 } from '../../crypto/hash.js';
import type { AuthorizationCode } from '../../store/types.js';
import { InvalidGrant, InvalidRequest } from '../errors.js';
import type { Grant, GrantRequest } from './grant.js';
import { checkPkce, checkVerifierFormat } from './pkce.js';
import {
  accessTokenFor,
  idTokenFor,
  refreshTokenFor,
  tokenResponse,
  type UserGrant,
} from './user-tokens.js';

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

/** The checks on a code just consumed, in RFC 6749 §4.1.3 order. */
function checkCode(
  { ctx, client, params }: GrantRequest,
  code: AuthorizationCode,
  verifier: string,
): void {
  if (code.clientId !== client.clientId) throw new InvalidGrant('code issued to another client');
  if (code.expiresAt <= ctx.clock()) throw new InvalidGrant('code expired');

  // OAuth 2.1 §4.1.3: PKCE binds the code to the client instance, so the token request need not
  // repeat redirect_uri; when it does (OAuth 2.0 and OpenID Connect clients always do), it must
  // be exactly the one the code was issued for (RFC 6749 §4.1.3).
  if (params.redirect_uri !== undefined && params.redirect_uri !== code.redirectUri) {
    throw new InvalidGrant('redirect_uri differs from the authorization request');
  }
  checkPkce(verifier, code.codeChallenge);
}

/**
 * Runs the checks on an unspent code; when one fails, the code is spent anyway (a code is good
 * for one attempt), and if a concurrent request spent it first, that is a replay.
 */
async function checkOrSpend(grant: GrantRequest, code: AuthorizationCode, verifier: string) {
  try {
    checkCode(grant, code, verifier);
  } catch (error) {
    const spent = await grant.ctx.store.codes.consume(code.codeHash, grant.ctx.clock());
    if (spent.status === 'replayed') await revokeIssued(grant.ctx, spent.code);
    throw error;
  }
}

async function handle(grant: GrantRequest) {
  const { ctx, client, params } = grant;
  if (!params.code) throw new InvalidRequest('code is required');
  const verifier = checkVerifierFormat(params.code_verifier);

  const codeHash = sha256(params.code);
  const code = await ctx.store.codes.find(codeHash);
  if (!code) throw new InvalidGrant('unknown code');
  if (code.consumedAt !== null) {
    await revokeIssued(ctx, code);
    throw new InvalidGrant('code already used');
  }
  await checkOrSpend(grant, code, verifier);

  const user: UserGrant = {
    client,
    userId: code.userId,
    scope: code.scope,
    authTime: code.authTime,
    nonce: code.nonce,
  };
  const access = accessTokenFor(ctx, user);
  const refresh = refreshTokenFor(ctx, user);
  // One store write spends the code, records what it issued (so that a replay from now on finds
  // what to revoke) and stores the refresh token; the ID token is signed meanwhile.
  const redemption = {
    jti: access.jti,
    jtiExpiresAt: access.expiresAt,
    refreshToken: refresh?.record ?? null,
  };
  const [redeemed, idToken] = await Promise.all([
    ctx.store.codes.redeem(codeHash, redemption, ctx.clock()),
    idTokenFor(ctx, user, access.token),
  ]);
  if (!redeemed) {
    // A concurrent request spent the code between the read and the redemption: a replay.
    const spent = await ctx.store.codes.find(codeHash);
    if (spent) await revokeIssued(ctx, spent);
    throw new InvalidGrant('code already used');
  }
  return tokenResponse(access, refresh, idToken);
}

/** grant_type=authorization_code */
export const authorizationCodeGrant: Grant = {
  grantType: 'authorization_code',
  parameters: ['code', 'code_verifier', 'redirect_uri'],
  handle,
};
