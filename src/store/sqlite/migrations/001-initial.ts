/**
 * SQLite schema, version 001. Released migrations are never edited: add a new file instead.
 *
 * - Times are INTEGER epoch milliseconds; arrays (scopes, redirect URIs, grant types) and JWKs
 *   are JSON text; booleans are 0/1. STRICT tables reject values of the wrong type.
 * - authorization_codes and refresh_tokens carry no foreign keys, like on PostgreSQL (see there
 *   for why); users.delete and clients.delete remove their rows explicitly.
 */
export const sql = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  email TEXT,
  name TEXT,
  password_hash TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER
) STRICT;
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL;

CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT,
  redirect_uris TEXT NOT NULL,
  grant_types TEXT NOT NULL,
  scopes TEXT NOT NULL,
  auth_method TEXT NOT NULL
    CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
  is_public INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE scopes (
  name TEXT PRIMARY KEY,
  description TEXT,
  built_in INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO scopes (name, description, built_in) VALUES
  ('openid', 'Sign you in', 1),
  ('profile', 'Your name and profile', 1),
  ('email', 'Your email address', 1),
  ('offline_access', 'Stay signed in (refresh tokens)', 1);

CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  nonce TEXT,
  auth_time INTEGER NOT NULL,
  max_age_requested INTEGER NOT NULL,
  session_id TEXT,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  issued_jti TEXT,
  issued_jti_expires_at INTEGER,
  issued_family_id TEXT
) STRICT;
CREATE INDEX authorization_codes_expires_at_idx ON authorization_codes (expires_at);
CREATE INDEX authorization_codes_user_id_idx ON authorization_codes (user_id);
CREATE INDEX authorization_codes_client_id_idx ON authorization_codes (client_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  parent_hash TEXT,
  client_id TEXT NOT NULL,
  user_id TEXT,
  scope TEXT NOT NULL,
  auth_time INTEGER,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  family_expires_at INTEGER NOT NULL,
  used_at INTEGER,
  revoked_at INTEGER
) STRICT;
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_client_id_idx ON refresh_tokens (client_id);

CREATE TABLE revoked_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX revoked_access_tokens_expires_at_idx ON revoked_access_tokens (expires_at);

CREATE TABLE login_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_sessions_user_id_idx ON login_sessions (user_id);
CREATE INDEX login_sessions_expires_at_idx ON login_sessions (expires_at);

CREATE TABLE consents (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
) STRICT;
CREATE INDEX consents_client_id_idx ON consents (client_id);

CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL CHECK (alg IN ('ES256', 'RS256')),
  use TEXT NOT NULL DEFAULT 'sig',
  public_jwk TEXT NOT NULL,
  private_key TEXT NOT NULL,
  encrypted INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER,
  expires_at INTEGER
) STRICT;
-- One active key per algorithm: concurrent first starts cannot both create one.
CREATE UNIQUE INDEX signing_keys_active_alg_key ON signing_keys (alg) WHERE retired_at IS NULL;
`;
