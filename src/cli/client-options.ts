/**
 * The checks of `authly client create`, in the order they run: each option on its own, then the
 * combinations that OAuth 2.1 rules out. Every refusal is a UsageError (exit 2) naming the
 * option, so that a client is never registered in a shape the server would refuse later.
 */
import type { ClientAuthMethod, GrantType, Store } from '../store/types.js';
import { checkScopeName, checkText, printable } from './checks.js';
import { UsageError } from './command.js';
import { warn } from './output.js';

export const GRANT_TYPES: GrantType[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
];
export const AUTH_METHODS: ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'none',
];
export const DEFAULT_GRANT_TYPES: GrantType[] = ['authorization_code', 'refresh_token'];

/** The options as parsed, before any check. */
export interface ClientOptionValues {
  name?: string;
  'redirect-uri'?: string[];
  'grant-types'?: string;
  scope?: string;
  public?: boolean;
  'auth-method'?: string;
}

/** A registration that passed every check that needs no database. */
export interface ClientRegistration {
  name: string;
  redirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  authMethod: ClientAuthMethod;
  isPublic: boolean;
}

/** Checks the options of `client create` and fills in the defaults. */
export function readClientOptions(values: ClientOptionValues): ClientRegistration {
  if (values.name === undefined) {
    throw new UsageError('missing --name (see authly client create --help)');
  }
  const name = checkText('name', values.name, 200);
  const grantTypes = checkGrantTypes(values['grant-types']);
  const redirectUris = [...new Set((values['redirect-uri'] ?? []).map(checkRedirectUri))];
  const { authMethod, isPublic } = checkAuthMethod(values['auth-method'], values.public ?? false);

  checkCombination(grantTypes, redirectUris, isPublic);
  const scopes =
    values.scope === undefined ? defaultScopes(grantTypes) : parseScopes(values.scope);
  return { name, redirectUris, grantTypes, scopes, authMethod, isPublic };
}

function checkGrantTypes(raw: string | undefined): GrantType[] {
  if (raw === undefined) return DEFAULT_GRANT_TYPES;
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!GRANT_TYPES.includes(name as GrantType)) {
      throw new UsageError(
        `unknown grant type "${printable(name)}" in --grant-types ` +
          `(expected a comma-separated list of ${GRANT_TYPES.join(', ')})`,
      );
    }
  }
  return [...new Set(names as GrantType[])];
}

/**
 * RFC 6749 §3.1.2: a redirect URI is absolute and has no fragment. Custom schemes are allowed for
 * native apps (RFC 8252 §7.1); schemes that run code in the browser never are. The value is
 * stored as written, because the authorization endpoint compares redirect URIs exactly.
 */
export function checkRedirectUri(value: string): string {
  const shown = printable(value);
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new UsageError(`--redirect-uri "${shown}" contains spaces or control characters`);
  }
  if (value.includes('#')) {
    throw new UsageError(
      `--redirect-uri "${shown}" has a fragment (#…), which RFC 6749 §3.1.2 forbids`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--redirect-uri "${shown}" is not an absolute URI`);
  }
  if (['javascript:', 'data:', 'vbscript:', 'file:'].includes(url.protocol)) {
    throw new UsageError(
      `--redirect-uri "${shown}" uses the ${url.protocol} scheme, which is unsafe`,
    );
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') {
    throw new UsageError(`--redirect-uri "${shown}" has no host`);
  }
  // RFC 6749 §3.1.2.1: the redirect should be protected by TLS; loopback is the exception that
  // native apps need (RFC 8252 §7.3).
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    warn(`--redirect-uri ${shown} uses plain http; use https outside local development`);
  }
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function checkAuthMethod(
  raw: string | undefined,
  isPublic: boolean,
): { authMethod: ClientAuthMethod; isPublic: boolean } {
  if (raw !== undefined && !AUTH_METHODS.includes(raw as ClientAuthMethod)) {
    throw new UsageError(
      `unknown --auth-method "${printable(raw)}" (expected ${AUTH_METHODS.join(', ')})`,
    );
  }
  if (isPublic && raw !== undefined && raw !== 'none') {
    throw new UsageError(
      `a public client has no secret, so --public cannot go with --auth-method ${raw}`,
    );
  }
  // `none` is what makes a client public (RFC 6749 §2.1): it cannot keep a secret.
  if (isPublic || raw === 'none') return { authMethod: 'none', isPublic: true };
  return { authMethod: (raw ?? 'client_secret_basic') as ClientAuthMethod, isPublic: false };
}

function checkCombination(
  grantTypes: GrantType[],
  redirectUris: string[],
  isPublic: boolean,
): void {
  const has = (grant: GrantType) => grantTypes.includes(grant);

  if (has('authorization_code') && redirectUris.length === 0) {
    throw new UsageError('the authorization_code grant needs at least one --redirect-uri');
  }
  if (!has('authorization_code') && redirectUris.length > 0) {
    throw new UsageError('--redirect-uri is used only by the authorization_code grant');
  }
  if (has('refresh_token') && !has('authorization_code') && !has('password')) {
    throw new UsageError(
      'refresh_token needs authorization_code or password, the grants that issue the first one',
    );
  }
  // RFC 6749 §4.4: client credentials are for confidential clients only.
  if (isPublic && has('client_credentials')) {
    throw new UsageError('the client_credentials grant needs a confidential client, not --public');
  }
  // The password grant hands a user's password to the client: only for a confidential client
  // that authenticates itself.
  if (isPublic && has('password')) {
    throw new UsageError('the password grant needs a confidential client, not --public');
  }
}

/** Sign-in scopes for clients that act for a user; none for a machine-to-machine client. */
function defaultScopes(grantTypes: GrantType[]): string[] {
  if (!grantTypes.includes('authorization_code') && !grantTypes.includes('password')) return [];
  const scopes = ['openid', 'profile', 'email'];
  if (grantTypes.includes('refresh_token')) scopes.push('offline_access');
  return scopes;
}

/** RFC 6749 §3.3: a space-delimited list of scope tokens. */
function parseScopes(raw: string): string[] {
  const names = raw.split(' ').filter((name) => name !== '');
  return [...new Set(names.map((name) => checkScopeName('scope', name)))];
}

/** Refuses scope names that are not in the scopes table (`authly scope create` adds them). */
export async function checkScopesExist(store: Store, scopes: string[]): Promise<void> {
  const known = new Set((await store.scopes.list()).map((scope) => scope.name));
  const unknown = scopes.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scope${unknown.length === 1 ? '' : 's'} in --scope: ${unknown.join(', ')} ` +
        '(see authly scope list; add one with authly scope create)',
    );
  }
}
