/**
 * SQLite rows and their mapping to the store types: epoch milliseconds become Dates, JSON text
 * becomes arrays and objects, 0/1 becomes booleans.
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
} from '../types.js';

export type Row = Record<string, unknown>;

/** A Date as stored: epoch milliseconds, or null. */
export function ms(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}

/** An array as stored: JSON text. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

function date(value: unknown): Date {
  return new Date(value as number);
}

function dateOrNull(value: unknown): Date | null {
  return value === null ? null : new Date(value as number);
}

function list<T = string>(value: unknown): T[] {
  return JSON.parse(value as string) as T[];
}

export function toUser(row: Row): User {
  return {
    id: row.id as string,
    username: row.username as string,
    email: row.email as string | null,
    name: row.name as string | null,
    passwordHash: row.password_hash as string,
    isAdmin: row.is_admin === 1,
    createdAt: date(row.created_at),
    failedLogins: row.failed_logins as number,
    lockedUntil: dateOrNull(row.locked_until),
  };
}

export function toClient(row: Row): Client {
  return {
    clientId: row.client_id as string,
    name: row.name as string,
    secretHash: row.secret_hash as string | null,
    redirectUris: list(row.redirect_uris),
    grantTypes: list<GrantType>(row.grant_types),
    scopes: list(row.scopes),
    authMethod: row.auth_method as ClientAuthMethod,
    isPublic: row.is_public === 1,
    createdAt: date(row.created_at),
  };
}

export function toScope(row: Row): Scope {
  return {
    name: row.name as string,
    description: row.description as string | null,
    builtIn: row.built_in === 1,
  };
}

export function toCode(row: Row): AuthorizationCode {
  return {
    codeHash: row.code_hash as string,
    clientId: row.client_id as string,
    userId: row.user_id as string,
    redirectUri: row.redirect_uri as string,
    scope: list(row.scope),
    codeChallenge: row.code_challenge as string,
    codeChallengeMethod: row.code_challenge_method as 'S256',
    nonce: row.nonce as string | null,
    authTime: date(row.auth_time),
    maxAgeRequested: row.max_age_requested === 1,
    sessionId: row.session_id as string | null,
    expiresAt: date(row.expires_at),
    consumedAt: dateOrNull(row.consumed_at),
    issuedJti: row.issued_jti as string | null,
    issuedJtiExpiresAt: dateOrNull(row.issued_jti_expires_at),
    issuedFamilyId: row.issued_family_id as string | null,
  };
}

export function toRefreshToken(row: Row): RefreshToken {
  return {
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
  };
}

export function toSession(row: Row): LoginSession {
  return {
    idHash: row.id_hash as string,
    userId: row.user_id as string,
    authTime: date(row.auth_time),
    expiresAt: date(row.expires_at),
  };
}

export function toConsent(row: Row): Consent {
  return {
    userId: row.user_id as string,
    clientId: row.client_id as string,
    scope: list(row.scope),
    grantedAt: date(row.granted_at),
  };
}

export function toSigningKey(row: Row): SigningKey {
  return {
    kid: row.kid as string,
    alg: row.alg as SigningKey['alg'],
    use: 'sig',
    publicJwk: JSON.parse(row.public_jwk as string) as Record<string, unknown>,
    privateKey: row.private_key as string,
    encrypted: row.encrypted === 1,
    createdAt: date(row.created_at),
    retiredAt: dateOrNull(row.retired_at),
    expiresAt: dateOrNull(row.expires_at),
  };
}
