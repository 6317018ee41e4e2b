/**
 * Repository interfaces, one per aggregate. Both engines (SQLite and PostgreSQL) implement them
 * and pass the same contract suite (test/store-contract.test.ts).
 *
 * Conventions:
 * - Times are `Date` objects; the engines store them as integer epoch milliseconds.
 * - Secrets (client secrets, codes, refresh tokens, session ids) are never stored: callers pass
 *   their SHA-256 hashes (base64url), see src/crypto/hash.ts.
 * - Scopes are arrays of scope names, kept in the order given.
 * - `now` is passed in wherever a method depends on time, so that tests can inject the clock.
 */

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials' | 'password';

export interface User {
  id: string;
  username: string;
  email: string | null;
  name: string | null;
  passwordHash: string;
  isAdmin: boolean;
  createdAt: Date;
  /** Failed sign-in attempts since the last success (per-account lockout). */
  failedLogins: number;
  lockedUntil: Date | null;
}

export interface NewUser {
  username: string;
  email?: string | null;
  name?: string | null;
  passwordHash: string;
  isAdmin?: boolean;
}

export interface Client {
  clientId: string;
  name: string;
  /** SHA-256 of the secret; null for public clients. */
  secretHash: string | null;
  redirectUris: string[];
  grantTypes: GrantType[];
  /** Scopes this client may request. */
  scopes: string[];
  authMethod: ClientAuthMethod;
  isPublic: boolean;
  createdAt: Date;
}

export type NewClient = Omit<Client, 'createdAt'>;

export interface Scope {
  name: string;
  description: string | null;
  builtIn: boolean;
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string[];
  codeChallenge: string;
  codeChallengeMethod: 'S256';
  nonce: string | null;
  /** When the user authenticated (OIDC `auth_time`). */
  authTime: Date;
  /** Whether the request carried max_age (then the ID token must carry auth_time). */
  maxAgeRequested: boolean;
  sessionId: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
  /** What the redemption issued, so that a replay can revoke it (RFC 9700 §4.5.3). */
  issuedJti: string | null;
  issuedJtiExpiresAt: Date | null;
  issuedFamilyId: string | null;
}

export type NewAuthorizationCode = Omit<
  AuthorizationCode,
  'consumedAt' | 'issuedJti' | 'issuedJtiExpiresAt' | 'issuedFamilyId'
>;

/** The outcome of trying to consume a code. */
export type ConsumeCodeResult =
  | { status: 'consumed'; code: AuthorizationCode }
  /** The code exists but was spent before: a replay. */
  | { status: 'replayed'; code: AuthorizationCode }
  | { status: 'not_found' };

export interface RefreshToken {
  tokenHash: string;
  familyId: string;
  /** Hash of the token this one replaced; null for the first of a family. */
  parentHash: string | null;
  clientId: string;
  /** Null for tokens issued without a user (never, today; kept for completeness). */
  userId: string | null;
  scope: string[];
  /** When the user authenticated, carried through rotations for ID tokens. */
  authTime: Date | null;
  issuedAt: Date;
  expiresAt: Date;
  /** Absolute end of the family: rotation never extends past it. */
  familyExpiresAt: Date;
  /** Set when this token was exchanged for a new one. */
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type NewRefreshToken = Omit<RefreshToken, 'usedAt' | 'revokedAt'>;

/** A rotation asked for by a client presenting a refresh token. */
export interface RotationRequest {
  /** The client presenting it: only its own token is spent (RFC 6749 §10.4). */
  clientId: string;
  /** A narrower scope asked for (RFC 6749 §6): the token must hold all of it; null if none. */
  scope: string[] | null;
  /** The replacement's hash, and its own expiry (capped by the family's end). */
  nextHash: string;
  nextExpiresAt: Date;
}

/** A token spent by a rotation, and the one that replaced it. */
export interface Rotation {
  previous: RefreshToken;
  next: RefreshToken;
}

export interface LoginSession {
  /** SHA-256 of the session cookie value. */
  idHash: string;
  userId: string;
  authTime: Date;
  expiresAt: Date;
}

export interface Consent {
  userId: string;
  clientId: string;
  scope: string[];
  grantedAt: Date;
}

export interface SigningKey {
  kid: string;
  /** 'ES256' for access tokens, 'RS256' for ID tokens. */
  alg: 'ES256' | 'RS256';
  use: 'sig';
  /** Public JWK (no private members), as published in the JWKS. */
  publicJwk: Record<string, unknown>;
  /** PKCS#8 PEM, or an encrypted envelope when AUTHLY_KEY_ENCRYPTION_SECRET is set. */
  privateKey: string;
  encrypted: boolean;
  createdAt: Date;
  /** When a newer key replaced this one for signing; null while it is the active key. */
  retiredAt: Date | null;
  /** When it leaves the JWKS (retirement + the longest token lifetime). */
  expiresAt: Date | null;
}

export interface UserRepository {
  create(user: NewUser): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  list(): Promise<User[]>;
  /**
   * Counts a sign-in attempt before its password is checked, atomically, so that concurrent
   * attempts cannot all see the same count. The attempt that makes `threshold` locks the account
   * until `lockUntil` (a success clears it again). Answers the new count, or null when the
   * account is locked at `now` (nothing is counted then) or does not exist.
   */
  countSignInAttempt(
    id: string,
    now: Date,
    threshold: number,
    lockUntil: Date,
  ): Promise<number | null>;
  /** A sign-in succeeded: the count and any lock are cleared. */
  recordSuccessfulLogin(id: string): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface ClientRepository {
  create(client: NewClient): Promise<Client>;
  find(clientId: string): Promise<Client | null>;
  list(): Promise<Client[]>;
  delete(clientId: string): Promise<boolean>;
}

export interface ScopeRepository {
  create(scope: { name: string; description?: string | null }): Promise<Scope>;
  find(name: string): Promise<Scope | null>;
  list(): Promise<Scope[]>;
}

/**
 * What a token request says of the code it presents (RFC 6749 §4.1.3, RFC 7636 §4.6), checked by
 * the store in the same step that spends the code.
 */
export interface CodeClaim {
  /** The authenticated client: the code must have been issued to it. */
  clientId: string;
  /** The request's redirect_uri, which must match the code's; null when the request has none. */
  redirectUri: string | null;
  /** BASE64URL(SHA256(code_verifier)), which must equal the code's challenge. */
  codeChallenge: string;
  /** The code must expire after this; it is also the time the code is spent. */
  now: Date;
}

/** What a redemption issues, stored with it in one atomic step. */
export interface CodeRedemption {
  /** The access token's jti and expiry, kept on the code so that a replay can deny it. */
  jti: string;
  jtiExpiresAt: Date;
  /**
   * The first refresh token of a new family, when the client may refresh. It is stored only if the
   * code's scope earns one (see scopeEarnsRefreshToken), and takes its client, user, scope and
   * auth_time from the code.
   */
  refreshToken: RefreshTokenSeed | null;
}

/** The parts of a new family's first refresh token that do not come from the code. */
export type RefreshTokenSeed = Pick<
  NewRefreshToken,
  'tokenHash' | 'familyId' | 'issuedAt' | 'expiresAt' | 'familyExpiresAt'
>;

/**
 * OpenID Connect Core §11: an OpenID request earns a refresh token only with `offline_access`;
 * a plain OAuth request (no `openid`) earns one without it. The PostgreSQL store writes the same
 * rule in SQL.
 */
export function scopeEarnsRefreshToken(scope: readonly string[]): boolean {
  return scope.includes('offline_access') || !scope.includes('openid');
}

/**
 * What redeem() found and did. `redeemed`: the claim held, the code is spent with the jti (and
 * the refresh family, when one was stored) recorded on it. `refused`: the code was unspent but
 * the claim did not hold; it is spent now, with nothing issued. `replayed`: spent before.
 */
export type RedeemCodeResult =
  | { status: 'redeemed' | 'refused' | 'replayed'; code: AuthorizationCode }
  | { status: 'not_found' };

export interface AuthorizationCodeRepository {
  create(code: NewAuthorizationCode): Promise<void>;
  find(codeHash: string): Promise<AuthorizationCode | null>;
  /**
   * Spends an unspent code, checks `claim` against it and, when it holds, records `redemption`
   * on it and stores the refresh token, all in one atomic step (one statement on PostgreSQL). A
   * code is good for one attempt: a failed claim spends it too. Of concurrent calls, exactly one
   * finds the code unspent; the others answer `replayed` and change nothing. The code answered
   * is as stored after the call.
   */
  redeem(codeHash: string, claim: CodeClaim, redemption: CodeRedemption): Promise<RedeemCodeResult>;
  /**
   * Spends the code without issuing anything (a redemption whose checks failed), in one atomic
   * step: of two concurrent calls, exactly one gets `consumed`. Expiry is not checked here.
   */
  consume(codeHash: string, now: Date): Promise<ConsumeCodeResult>;
  deleteExpired(now: Date): Promise<number>;
}

export interface RefreshTokenRepository {
  create(token: NewRefreshToken): Promise<void>;
  find(tokenHash: string): Promise<RefreshToken | null>;
  /**
   * Spends `tokenHash` and stores its replacement, in one atomic step, when the token may be
   * spent: not spent or revoked before, its parent not revoked, not expired (nor its family),
   * issued to `request.clientId` for a user, and holding every scope asked for. The replacement
   * inherits family, client, user, scope and auth_time. Answers null, changing nothing, otherwise;
   * of concurrent calls for one token, at most one answers a Rotation.
   */
  rotate(tokenHash: string, request: RotationRequest, now: Date): Promise<Rotation | null>;
  revokeFamily(familyId: string, now: Date): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}

export interface RevokedAccessTokenRepository {
  /** Denies the access token with this `jti` until it would have expired anyway. */
  revoke(jti: string, expiresAt: Date): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

export interface LoginSessionRepository {
  create(session: LoginSession): Promise<void>;
  find(idHash: string, now: Date): Promise<LoginSession | null>;
  delete(idHash: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export interface ConsentRepository {
  /** Adds the scopes to what the user already granted the client. */
  grant(userId: string, clientId: string, scope: string[], now: Date): Promise<void>;
  find(userId: string, clientId: string): Promise<Consent | null>;
  revoke(userId: string, clientId: string): Promise<void>;
}

export interface SigningKeyRepository {
  /** Keys still published (not past `expiresAt`), newest first. */
  listPublished(now: Date): Promise<SigningKey[]>;
  listAll(): Promise<SigningKey[]>;
  create(key: SigningKey): Promise<void>;
  /** Retires the active key of `alg` (if any) and inserts `key`, atomically. */
  rotate(key: SigningKey, retireExpiresAt: Date, now: Date): Promise<void>;
  /**
   * Creates the first key of each algorithm exactly once across concurrent processes: inserts
   * `keys` only where no key of that alg exists yet. Answers the active keys afterwards.
   */
  ensureInitial(keys: SigningKey[]): Promise<SigningKey[]>;
}

export type StoreEngine = 'sqlite' | 'postgres';

export interface Store {
  readonly engine: StoreEngine;
  users: UserRepository;
  clients: ClientRepository;
  scopes: ScopeRepository;
  codes: AuthorizationCodeRepository;
  refreshTokens: RefreshTokenRepository;
  revokedTokens: RevokedAccessTokenRepository;
  sessions: LoginSessionRepository;
  consents: ConsentRepository;
  keys: SigningKeyRepository;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<{ applied: string[] }>;
  /** Answers when the database can serve a query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
