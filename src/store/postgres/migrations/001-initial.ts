/**
 * PostgreSQL schema, version 001, mirroring the SQLite one table for table. Released migrations
 * are never edited: add a new file instead.
 *
 * - Times are bigint epoch milliseconds, as on SQLite, so that both engines round-trip a Date
 *   to the same millisecond and compare times the same way.
 * - Lists (scopes, redirect URIs, grant types) are text[], which keeps their order; JWKs jsonb.
 * - Every unique constraint is named `<table>_<column>_key`, so that a clash names its column.
 * - authorization_codes and refresh_tokens carry no foreign keys: each insert would take a
 *   KEY SHARE lock on the user's and the client's row, and every token request of a busy client
 *   would queue on that one row. users.delete and clients.delete remove them explicitly.
 */
export const sql = `
CREATE TABLE users (
  id text CONSTRAINT users_id_key PRIMARY KEY,
  username text NOT NULL CONSTRAINT users_username_key UNIQUE,
  email text CONSTRAINT users_email_key UNIQUE,
  name text,
  password_hash text NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until bigint
);

CREATE TABLE clients (
  client_id text CONSTRAINT clients_client_id_key PRIMARY KEY,
  name text NOT NULL,
  secret_hash text,
  redirect_uris text[] NOT NULL,
  grant_types text[] NOT NULL,
  scopes text[] NOT NULL,
  auth_method text NOT NULL
    CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
  is_public boolean NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE scopes (
  name text CONSTRAINT scopes_name_key PRIMARY KEY,
  description text,
  built_in boolean NOT NULL DEFAULT false
);
INSERT INTO scopes (name, description, built_in) VALUES
  ('openid', 'Sign you in', true),
  ('profile', 'Your name and profile', true),
  ('email', 'Your email address', true),
  ('offline_access', 'Stay signed in (refresh tokens)', true);

CREATE TABLE authorization_codes (
  code_hash text CONSTRAINT authorization_codes_code_hash_key PRIMARY KEY,
  client_id text NOT NULL,
  user_id text NOT NULL,
  redirect_uri text NOT NULL,
  scope text[] NOT NULL,
  code_challenge text NOT NULL,
  code_challenge_method text NOT NULL,
  nonce text,
  auth_time bigint NOT NULL,
  max_age_requested boolean NOT NULL,
  session_id text,
  expires_at bigint NOT NULL,
  consumed_at bigint,
  issued_jti text,
  issued_jti_expires_at bigint,
  issued_family_id text
);
CREATE INDEX authorization_codes_expires_at_idx ON authorization_codes (expires_at);
CREATE INDEX authorization_codes_user_id_idx ON authorization_codes (user_id);
CREATE INDEX authorization_codes_client_id_idx ON authorization_codes (client_id);

CREATE TABLE refresh_tokens (
  token_hash text CONSTRAINT refresh_tokens_token_hash_key PRIMARY KEY,
  family_id text NOT NULL,
  parent_hash text,
  client_id text NOT NULL,
  user_id text,
  scope text[] NOT NULL,
  auth_time bigint,
  issued_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  family_expires_at bigint NOT NULL,
  used_at bigint,
  revoked_at bigint
);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_client_id_idx ON refresh_tokens (client_id);

CREATE TABLE revoked_access_tokens (
  jti text CONSTRAINT revoked_access_tokens_jti_key PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX revoked_access_tokens_expires_at_idx ON revoked_access_tokens (expires_at);

CREATE TABLE login_sessions (
  id_hash text CONSTRAINT login_sessions_id_hash_key PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_time bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX login_sessions_user_id_idx ON login_sessions (user_id);
CREATE INDEX login_sessions_expires_at_idx ON login_sessions (expires_at);

CREATE TABLE consents (
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id text NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  scope text[] NOT NULL,
  granted_at bigint NOT NULL,
  CONSTRAINT consents_user_id_client_id_key PRIMARY KEY (user_id, client_id)
);
CREATE INDEX consents_client_id_idx ON consents (client_id);

CREATE TABLE signing_keys (
  kid text CONSTRAINT signing_keys_kid_key PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('ES256', 'RS256')),
  use text NOT NULL DEFAULT 'sig',
  public_jwk jsonb NOT NULL,
  private_key text NOT NULL,
  encrypted boolean NOT NULL,
  created_at bigint NOT NULL,
  retired_at bigint,
  expires_at bigint
);
-- One active key per algorithm: concurrent first starts cannot both create one.
CREATE UNIQUE INDEX signing_keys_alg_key ON signing_keys (alg) WHERE retired_at IS NULL;
CREATE INDEX signing_keys_expires_at_idx ON signing_keys (expires_at);
`;
