/**
 * Configuration: one schema, read from the environment (and CLI overrides) and validated once at
 * start. A bad value throws ConfigError naming the variable, which the CLI prints as one line.
 */
import { availableParallelism } from 'node:os';

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** AUTHLY_ISSUER: the issuer identifier, exactly as published (no trailing slash added). */
  issuer: string;
  /** AUTHLY_PORT or --port (default 8000). */
  port: number;
  /** AUTHLY_HOST or --host (default 0.0.0.0). */
  host: string;
  /** DATABASE_URL: `sqlite:<path>` (default `sqlite:./data/authly.db`) or `postgres://…`. */
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: most PostgreSQL connections per process (default 10). */
  databasePoolSize: number;
  /** REDIS_URL: optional; shares the sign-in throttling counters across workers and nodes. */
  redisUrl: string | null;
  /** AUTHLY_REDIS_PREFIX: put before every Redis key, so deployments can share one Redis. */
  redisPrefix: string;
  /** AUTHLY_KEY_ENCRYPTION_SECRET: optional; encrypts private signing keys at rest. */
  keyEncryptionSecret: string | null;
  /** AUTHLY_ACCESS_TOKEN_TTL: access token lifetime in seconds (default 3600). */
  accessTokenTtl: number;
  /** AUTHLY_ID_TOKEN_TTL: ID token lifetime in seconds (default 3600). */
  idTokenTtl: number;
  /** AUTHLY_REFRESH_TOKEN_TTL: lifetime of one refresh token in seconds (default 14 days). */
  refreshTokenTtl: number;
  /** AUTHLY_REFRESH_FAMILY_TTL: absolute lifetime of a refresh token family (default 30 days). */
  refreshFamilyTtl: number;
  /**
   * AUTHLY_REFRESH_ID_TOKEN: whether a refresh of an `openid` grant also answers a new ID token
   * (default false). OpenID Connect Core §12.2 leaves it out as the server chooses: a refresh is
   * not a new sign-in, and the RS256 signature would be most of the refresh's cost.
   */
  refreshIdToken: boolean;
  /** AUTHLY_CODE_TTL: authorization code lifetime in seconds (default 60). */
  codeTtl: number;
  /** AUTHLY_SESSION_TTL: login session lifetime in seconds (default 8 hours). */
  sessionTtl: number;
  /** AUTHLY_LOG_LEVEL: pino level (default info). */
  logLevel: LogLevel;
  /** AUTHLY_WORKERS or --workers: server processes (default 1). */
  workers: number;
  /**
   * AUTHLY_PASSWORD_HASH_CONCURRENCY: password hashes one process computes at once (default: its
   * share of the cores, the cores divided by the workers, at least 1); the others queue.
   */
  passwordHashConcurrency: number;
}

export interface ConfigOverrides {
  port?: string;
  host?: string;
  workers?: string;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The longest lifetime accepted, in seconds (ten years): anything longer is a typo, and far
 * longer would take expiry times past what a Date can hold.
 */
const MAX_LIFETIME = 10 * 365 * 24 * 3600;

function integer(
  variable: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(variable, `expected a whole number, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min) throw new ConfigError(variable, `must be at least ${min}, got ${value}`);
  if (value > max) throw new ConfigError(variable, `must be at most ${max}, got ${raw.trim()}`);
  return value;
}

/** A token or session lifetime in seconds: at least 1, at most MAX_LIFETIME. */
function lifetime(variable: string, raw: string | undefined, fallback: number): number {
  return integer(variable, raw, fallback, 1, MAX_LIFETIME);
}

function boolean(variable: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(variable, `expected true or false, got "${raw}"`);
}

function port(variable: string, raw: string | undefined): number {
  const value = integer(variable, raw, 8000, 0);
  if (value > 65535) throw new ConfigError(variable, `not a TCP port: ${value}`);
  return value;
}

/**
 * The listen address: a host name or an IP address, as node:net takes it. Only its shape is
 * checked here; an address this machine does not have is reported when listening fails.
 */
function host(variable: string, raw: string | undefined): string {
  if (raw === undefined) return '0.0.0.0';
  const value = raw.trim();
  if (value === '') throw new ConfigError(variable, 'is empty');
  if (!/^[A-Za-z0-9._:%-]+$/.test(value)) {
    throw new ConfigError(variable, `expected a host name or IP address, got "${raw}"`);
  }
  return value;
}

function issuerUrl(raw: string | undefined, defaultPort: number): string {
  if (raw === undefined || raw === '') return `http://localhost:${defaultPort}`;

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('AUTHLY_ISSUER', `not a URL: "${raw}"`);
  }
  // RFC 8414 §2: the issuer is an https URL with no query or fragment. Plain http is allowed
  // for local development only.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('AUTHLY_ISSUER', 'must use https (or http for local development)');
  }
  if (url.search || url.hash || raw.includes('#') || raw.includes('?')) {
    throw new ConfigError('AUTHLY_ISSUER', 'must not contain a query or fragment');
  }
  // The issuer is published exactly as given and every endpoint URL is `<issuer>/<path>`: a
  // trailing slash would have to be dropped from one or doubled in the other.
  if (raw.endsWith('/')) {
    const trimmed = raw.replace(/\/+$/, '');
    throw new ConfigError('AUTHLY_ISSUER', `must not end with "/" (write ${trimmed})`);
  }
  return raw;
}

function databaseUrl(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'sqlite:./data/authly.db';
  if (/^sqlite:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError('DATABASE_URL', 'expected sqlite:<path> or postgres://user@host/db');
}

function redisUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (/^rediss?:\/\/.+/.test(raw)) return raw;
  throw new ConfigError('REDIS_URL', 'expected redis://host:port');
}

function redisPrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'authly:';
  if (/^[\x21-\x7e]{1,100}$/.test(raw)) return raw;
  throw new ConfigError('AUTHLY_REDIS_PREFIX', 'expected up to 100 visible ASCII characters');
}

/** Password hashes one process computes at once by default: its share of the cores. */
export function defaultHashConcurrency(workers: number): number {
  return Math.max(1, Math.ceil(availableParallelism() / workers));
}

/** Reads and validates the configuration; throws ConfigError on the first bad value. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): Config {
  const portValue =
    overrides.port !== undefined
      ? port('--port', overrides.port)
      : port('AUTHLY_PORT', env.AUTHLY_PORT);
  const logLevel = (env.AUTHLY_LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('AUTHLY_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const secret = env.AUTHLY_KEY_ENCRYPTION_SECRET || null;
  if (secret !== null && secret.length < 16) {
    throw new ConfigError('AUTHLY_KEY_ENCRYPTION_SECRET', 'must be at least 16 characters');
  }
  const workers =
    overrides.workers !== undefined
      ? integer('--workers', overrides.workers, 1, 1)
      : integer('AUTHLY_WORKERS', env.AUTHLY_WORKERS, 1, 1);

  return {
    issuer: issuerUrl(env.AUTHLY_ISSUER, portValue),
    port: portValue,
    host:
      overrides.host !== undefined
        ? host('--host', overrides.host)
        : host('AUTHLY_HOST', env.AUTHLY_HOST || undefined),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    databasePoolSize: integer('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1),
    redisUrl: redisUrl(env.REDIS_URL),
    redisPrefix: redisPrefix(env.AUTHLY_REDIS_PREFIX),
    keyEncryptionSecret: secret,
    accessTokenTtl: lifetime('AUTHLY_ACCESS_TOKEN_TTL', env.AUTHLY_ACCESS_TOKEN_TTL, 3600),
    idTokenTtl: lifetime('AUTHLY_ID_TOKEN_TTL', env.AUTHLY_ID_TOKEN_TTL, 3600),
    refreshTokenTtl: lifetime('AUTHLY_REFRESH_TOKEN_TTL', env.AUTHLY_REFRESH_TOKEN_TTL, 1209600),
    refreshFamilyTtl: lifetime('AUTHLY_REFRESH_FAMILY_TTL', env.AUTHLY_REFRESH_FAMILY_TTL, 2592000),
    refreshIdToken: boolean('AUTHLY_REFRESH_ID_TOKEN', env.AUTHLY_REFRESH_ID_TOKEN, false),
    codeTtl: lifetime('AUTHLY_CODE_TTL', env.AUTHLY_CODE_TTL, 60),
    sessionTtl: lifetime('AUTHLY_SESSION_TTL', env.AUTHLY_SESSION_TTL, 28800),
    logLevel,
    workers,
    passwordHashConcurrency: integer(
      'AUTHLY_PASSWORD_HASH_CONCURRENCY',
      env.AUTHLY_PASSWORD_HASH_CONCURRENCY,
      defaultHashConcurrency(workers),
      1,
    ),
  };
}
