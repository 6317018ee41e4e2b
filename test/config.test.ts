/**
 * Configuration (issue #2): every setting has its documented default, and every bad value stops
 * start-up with one line naming the variable (or option) and what is wrong with it, never a stack
 * trace, before anything is opened or created.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { authly } from './helpers/cli.js';
import { tempDir } from './helpers/engines.js';

/** Each setting with values it refuses, and a part of the message that says why. */
const BAD_VALUES: [string, string, RegExp][] = [
  ['AUTHLY_ISSUER', 'not a url', /not a URL/],
  ['AUTHLY_ISSUER', 'ftp://id.example.com', /must use https/],
  ['AUTHLY_ISSUER', 'https://id.example.com/?tenant=1', /query or fragment/],
  ['AUTHLY_ISSUER', 'https://id.example.com/#x', /query or fragment/],
  ['AUTHLY_ISSUER', 'https://id.example.com/tenant/', /must not end with "\/"/],
  ['AUTHLY_PORT', 'eighty', /expected a whole number, got "eighty"/],
  ['AUTHLY_PORT', '-1', /expected a whole number/],
  ['AUTHLY_PORT', '65536', /not a TCP port: 65536/],
  ['AUTHLY_HOST', 'local host', /expected a host name or IP address/],
  ['AUTHLY_HOST', 'http://0.0.0.0', /expected a host name or IP address/],
  ['AUTHLY_HOST', '   ', /is empty/],
  ['AUTHLY_WORKERS', '0', /must be at least 1, got 0/],
  ['DATABASE_URL', 'mysql://db/authly', /expected sqlite:<path> or postgres:\/\//],
  ['DATABASE_URL', 'sqlite:', /expected sqlite:<path>/],
  ['DATABASE_POOL_SIZE', '0', /must be at least 1/],
  ['REDIS_URL', 'http://127.0.0.1:6379', /expected redis:\/\/host:port/],
  ['AUTHLY_KEY_ENCRYPTION_SECRET', 'too short', /must be at least 16 characters/],
  ['AUTHLY_ACCESS_TOKEN_TTL', '0', /must be at least 1, got 0/],
  ['AUTHLY_ACCESS_TOKEN_TTL', '1h', /expected a whole number, got "1h"/],
  ['AUTHLY_ACCESS_TOKEN_TTL', '99999999999999999999', /must be at most 315360000/],
  ['AUTHLY_ID_TOKEN_TTL', '1.5', /expected a whole number/],
  ['AUTHLY_REFRESH_TOKEN_TTL', '0', /must be at least 1/],
  ['AUTHLY_REFRESH_FAMILY_TTL', 'forever', /expected a whole number/],
  ['AUTHLY_CODE_TTL', '0', /must be at least 1/],
  ['AUTHLY_REFRESH_ID_TOKEN', 'yes', /expected true or false, got "yes"/],
  ['AUTHLY_SESSION_TTL', '1e9', /expected a whole number/],
  ['AUTHLY_PASSWORD_HASH_CONCURRENCY', '0', /must be at least 1/],
  ['AUTHLY_LOG_LEVEL', 'verbose', /expected one of fatal, error, warn, info, debug, trace, silent/],
];

describe('configuration', () => {
  test('the defaults are the documented ones', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      issuer: 'http://localhost:8000',
      port: 8000,
      host: '0.0.0.0',
      databaseUrl: 'sqlite:./data/authly.db',
      databasePoolSize: 10,
      redisUrl: null,
      redisPrefix: 'authly:',
      keyEncryptionSecret: null,
      accessTokenTtl: 3600,
      idTokenTtl: 3600,
      refreshTokenTtl: 1209600,
      refreshFamilyTtl: 2592000,
      refreshIdToken: false,
      codeTtl: 60,
      sessionTtl: 28800,
      logLevel: 'info',
      workers: 1,
      passwordHashConcurrency: availableParallelism(),
    });
  });

  test('password hashes at once default to each worker’s share of the cores', () => {
    const cores = availableParallelism();
    assert.equal(loadConfig({}, { workers: String(cores) }).passwordHashConcurrency, 1);
    assert.equal(loadConfig({}, { workers: String(cores * 4) }).passwordHashConcurrency, 1);
    const share = loadConfig({ AUTHLY_WORKERS: '2' }).passwordHashConcurrency;
    assert.equal(share, Math.ceil(cores / 2));
    const set = { AUTHLY_WORKERS: '2', AUTHLY_PASSWORD_HASH_CONCURRENCY: '7' };
    assert.equal(loadConfig(set).passwordHashConcurrency, 7);
  });

  test('the default issuer follows the port; --port and --host win over the environment', () => {
    assert.equal(loadConfig({ AUTHLY_PORT: '9000' }).issuer, 'http://localhost:9000');
    const env = { AUTHLY_PORT: '9000', AUTHLY_HOST: '127.0.0.1' };
    const config = loadConfig(env, { port: '9001', host: '::1' });
    assert.equal(config.port, 9001);
    assert.equal(config.host, '::1');
    assert.equal(config.issuer, 'http://localhost:9001');
  });

  test('good values are taken as given', () => {
    const config = loadConfig({
      AUTHLY_ISSUER: 'https://id.example.com/tenant',
      AUTHLY_HOST: 'localhost',
      DATABASE_URL: 'postgresql://authly@db.internal/authly',
      REDIS_URL: 'rediss://cache.internal:6380',
      AUTHLY_KEY_ENCRYPTION_SECRET: 'sixteen chars ok',
      AUTHLY_ACCESS_TOKEN_TTL: '600',
      AUTHLY_REFRESH_ID_TOKEN: 'true',
      AUTHLY_LOG_LEVEL: 'warn',
    });
    assert.equal(config.refreshIdToken, true);
    assert.equal(config.issuer, 'https://id.example.com/tenant');
    assert.equal(config.host, 'localhost');
    assert.equal(config.databaseUrl, 'postgresql://authly@db.internal/authly');
    assert.equal(config.redisUrl, 'rediss://cache.internal:6380');
    assert.equal(config.keyEncryptionSecret, 'sixteen chars ok');
    assert.equal(config.accessTokenTtl, 600);
    assert.equal(config.logLevel, 'warn');
  });

  for (const [variable, value, problem] of BAD_VALUES) {
    test(`${variable}=${JSON.stringify(value)} is refused, naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.variable, variable);
          assert.match(error.message, new RegExp(`^${variable}: `));
          assert.match(error.message, problem);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    });
  }

  test('bad --port, --host and --workers are refused, naming the option', () => {
    const refused = (overrides: Record<string, string>, variable: string, message: RegExp) =>
      assert.throws(() => loadConfig({}, overrides), { variable, message });
    refused({ port: 'x' }, '--port', /^--port: expected a whole number/);
    refused({ host: '' }, '--host', /^--host: is empty$/);
    refused({ workers: '0' }, '--workers', /^--workers: must be at least 1/);
  });
});

describe('a bad setting stops the command before it starts', () => {
  test('authly serve prints one line naming the variable, exits 1, creates nothing', async () => {
    for (const [variable, value, problem] of BAD_VALUES) {
      const cwd = tempDir('authly-config-');
      const { code, stdout, stderr } = await authly(['serve'], { [variable]: value }, cwd);
      assert.equal(code, 1, `${variable}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, new RegExp(`^authly: ${variable}: `));
      assert.match(stderr, problem);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
      assert.equal(existsSync(join(cwd, 'data')), false, `${variable}: nothing is created`);
    }
  });

  test('a bad --port or --host is a usage error (exit 2)', async () => {
    const cwd = tempDir('authly-config-');
    const port = await authly(['serve', '--port', '70000'], {}, cwd);
    assert.equal(port.code, 2);
    assert.equal(port.stderr, 'authly: --port: not a TCP port: 70000\n');
    const host = await authly(['serve', '--host', 'a b'], {}, cwd);
    assert.equal(host.code, 2);
    assert.equal(host.stderr, 'authly: --host: expected a host name or IP address, got "a b"\n');
  });
});
