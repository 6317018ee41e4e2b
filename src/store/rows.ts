/**
 * Rows to store types, for both engines. The engines differ only in how a column arrives
 * (SQLite: 0/1 and JSON text; PostgreSQL: booleans, text[] and jsonb), so each passes a codec
 * and the mapping itself is written once. Times are epoch milliseconds on both.
 */
import type {
  AuthorizationCode,
  Client,
  ClientAuthMethod,
  Consent,
  GrantType,
  LoginSession,
  RefreshToken,
  Scope,
  SigningKey,
  User,
} from './types.js';

/** A result row, keyed by column name. */
export type Row = Record<string, unknown>;

/** How one engine's driver hands over the column kinds that differ between engines. */
export interface ColumnCodec {
  flag(value: unknown): boolean;
  list(value: unknown): string[];
  object(value: unknown): Record<string, unknown>;
}

/** The mapping from each table's row to its store type. */
export interface RowMappers {
  toUser(row: Row): User;
  toClient(row: Row): Client;
  toScope(row: Row): Scope;
  toCode(row: Row): AuthorizationCode;
  toRefreshToken(row: Row): RefreshToken;
  toSession(row: Row): LoginSession;
  toConsent(row: Row): Consent;
  toSigningKey(row: Row): SigningKey;
}

/** Epoch milliseconds as stored to a Date. */
function date(value: unknown): Date {
  return new Date(Number(value));
}

function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

/** The row mappers of an engine whose driver decodes columns as `codec` says. */
export function rowMappers(codec: ColumnCodec): RowMappers {
  const { flag, list, object } = codec;
  return {
    toUser: (row) => ({
      id: row.id as string,
      username: row.username as string,
      email: row.email as string | null,
      name: row.name as string | null,
      passwordHash: row.password_hash as string,
      isAdmin: flag(row.is_admin),
      createdAt: date(row.created_at),
      failedLogins: Number(row.failed_logins),
      lockedUntil: dateOrNull(row.locked_until),
    }),

    toClient: (row) => ({
      clientId: row.client_id as string,
      name: row.name as string,
      secretHash: row.secret_hash as string | null,
      redirectUris: list(row.redirect_uris),
      grantTypes: list(row.grant_types) as GrantType[],
      scopes: list(row.scopes),
      authMethod: row.auth_method as ClientAuthMethod,
      isPublic: flag(row.is_public),
      createdAt: date(row.created_at),
    }),

    toScope: (row) => ({
      name: row.name as string,
      description: row.description as string | null,
      builtIn: flag(row.built_in),
    }),

    toCode: (row) => ({
      codeHash: row.code_hash as string,
      clientId: row.client_id as string,
      userId: row.user_id as string,
      redirectUri: row.redirect_uri as string,
      scope: list(row.scope),
      codeChallenge: row.code_challenge as string,
      codeChallengeMethod: row.code_challenge_method as 'S256',
      nonce: row.nonce as string | null,
      authTime: date(row.auth_time),
      maxAgeRequested: flag(row.max_age_requested),
      sessionId: row.session_id as string | null,
      expiresAt: date(row.expires_at),
      consumedAt: dateOrNull(row.consumed_at),
      issuedJti: row.issued_jti as string | null,
      issuedJtiExpiresAt: dateOrNull(row.issued_jti_expires_at),
      issuedFamilyId: row.issued_family_id as string | null,
    }),

    toRefreshToken: (row) => ({
      tokenHash: row.token_hash as string,
      familyId: row.family_id as string,
      parentHash: row.parent_hash as string | null,
      clientId: row.client_id as string,
      userId: row.user_id as string | null,
      scope: list(row.scope),
      authTime: dateOrNull(row.auth_time),
      issuedAt: date(row.issued_at),
      expiresAt: date(row.expires_at),
      familyExpiresAt: date(row.family_expires_at),
      usedAt: dateOrNull(row.used_at),
      revokedAt: dateOrNull(row.revoked_at),
    }),

    toSession: (row) => ({
      idHash: row.id_hash as string,
      userId: row.user_id as string,
      authTime: date(row.auth_time),
      expiresAt: date(row.expires_at),
    }),

    toConsent: (row) => ({
      userId: row.user_id as string,
      clientId: row.client_id as string,
      scope: list(row.scope),
      grantedAt: date(row.granted_at),
    }),

    toSigningKey: (row) => ({
      kid: row.kid as string,
      alg: row.alg as SigningKey['alg'],
      use: 'sig',
      publicJwk: object(row.public_jwk),
      privateKey: row.private_key as string,
      encrypted: flag(row.encrypted),
      createdAt: date(row.created_at),
      retiredAt: dateOrNull(row.retired_at),
      expiresAt: dateOrNull(row.expires_at),
    }),
  };
}

/** A Date as both engines store it: epoch milliseconds, or null. */
export function ms(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}
