/**
 * Sign-in throttling with and without Redis (src/security/rate-limiter.ts).
 *
 * - Two `authly serve` processes with one REDIS_URL (and a key prefix of this run's own) count the
 *   failed sign-ins of an address together: failures spread over both throttle the address on
 *   both. The per-account lockout, kept in the database, holds on both as well.
 * - Without Redis each process counts its own, and a burst of concurrent guesses is counted
 *   before any password is checked.
 * - While Redis is unreachable (from the start, or gone in the middle of a run), sign-in keeps
 *   working on per-process counters, the outage is logged once, and Redis is used again when it
 *   is back.
 *
 * The suites that need a Redis server are left out (and reported by the runner) when it is not
 * reachable outside CI; under CI the runner refuses to start without it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import {
  ADDRESS_LIMIT,
  ADDRESS_WINDOW_SECONDS,
  LOCKOUT_THRESHOLD,
} from '../src/security/sign-in.js';
import { freshDatabaseUrl, testRedisUrl } from './helpers/engines.js';
import { freePort } from './helpers/free-port.js';
import { addClient, addUser, basicAuth } from './helpers/token-server.js';

const PASSWORD = 'correct horse battery staple';
const redisUrl = testRedisUrl();
const needsRedis = redisUrl ? false : 'Redis was left out of this run';

/** The repository root (this file runs from dist/test/). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a password grant answered: status, error code and whether Retry-After came with it. */
interface Attempt {
  status: number;
  error?: string;
  throttled: boolean;
}

/** Where to sign in: a server's base URL and a password-grant client's Basic credentials. */
interface Target {
  base: string;
  auth: Record<string, string>;
}

async function passwordGrant(target: Target, username: string, password: string) {
  const response = await fetch(`${target.base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...target.auth },
    body: new URLSearchParams({ grant_type: 'password', username, password }),
  });
  const body = (await response.json()) as { error?: string };
  const attempt: Attempt = {
    status: response.status,
    error: body.error,
    throttled: response.headers.get('retry-after') !== null,
  };
  return attempt;
}

const REFUSED: Attempt = { status: 400, error: 'invalid_grant', throttled: false };
const THROTTLED: Attempt = { status: 400, error: 'invalid_grant', throttled: true };
const SIGNED_IN: Attempt = { status: 200, error: undefined, throttled: false };

/** The Redis key of the test address's counter, under `prefix`. */
function addressKey(prefix: string): string {
  return `${prefix}rl:sign-in:address:127.0.0.1`;
}

/** A JSON log kept in memory, for the events a test expects. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), events: () => lines.map((l) => l.event) };
}

/** Authly in this process on a fresh SQLite database, with a password-grant client and a user. */
async function startApp(env: NodeJS.ProcessEnv, logger = createLogger('silent')) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: await freshDatabaseUrl('sqlite'),
    AUTHLY_ISSUER: base,
    ...env,
  });
  const app = await createApp(config, { logger });
  await app.server.listen({ port, host: '127.0.0.1' });
  const { client, secret } = await addClient(app.ctx, { grantTypes: ['password'] });
  const user = await addUser(app.ctx, PASSWORD);
  const target: Target = { base, auth: basicAuth(client.clientId, secret) };
  return { app, target, user };
}

interface ServeProcess {
  child: ChildProcess;
  base: string;
}

/** `authly serve` as its own process; resolves once it answers /health. */
async function serveProcess(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['bin/authly.js', 'serve', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: ROOT, env: { ...process.env, AUTHLY_ISSUER: base, ...env }, stdio: 'pipe' },
  );
  let output = '';
  child.stdout!.on('data', (data) => (output += data));
  child.stderr!.on('data', (data) => (output += data));

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`authly serve exited: ${output}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`authly serve did not start: ${output}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('two server processes sharing Redis', { skip: needsRedis }, () => {
  const prefix = `authly-test:${randomUUID()}:`;
  let redis: Redis;
  let servers: ServeProcess[] = [];
  let targets: Target[];
  let victim: string;
  let username: string;

  before(async () => {
    redis = new Redis(redisUrl!);
    const databaseUrl = await freshDatabaseUrl('sqlite');
    // The database is prepared once, here: migrations, keys, a client and two users.
    const seed = await createApp(
      loadConfig({ DATABASE_URL: databaseUrl, AUTHLY_ISSUER: 'http://127.0.0.1' }),
      { logger: createLogger('silent') },
    );
    const { client, secret } = await addClient(seed.ctx, { grantTypes: ['password'] });
    victim = (await addUser(seed.ctx, PASSWORD)).username;
    username = (await addUser(seed.ctx, PASSWORD)).username;
    await seed.close();

    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      AUTHLY_REDIS_PREFIX: prefix,
      AUTHLY_LOG_LEVEL: 'warn',
    };
    servers = await Promise.all([serveProcess(env), serveProcess(env)]);
    targets = servers.map(({ base }) => ({ base, auth: basicAuth(client.clientId, secret) }));
  });

  after(async () => {
    await Promise.all(servers.map(({ child }) => stopProcess(child)));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test('an account locked through one server is locked on the other', async () => {
    for (let i = 0; i < LOCKOUT_THRESHOLD; i += 1) {
      assert.deepEqual(await passwordGrant(targets[i % 2], victim, `wrong ${i}`), REFUSED);
    }
    for (const target of targets) {
      assert.deepEqual(await passwordGrant(target, victim, PASSWORD), REFUSED);
    }
  });

  test('failed sign-ins on either server count toward one address throttle', async () => {
    await redis.del(addressKey(prefix));
    for (let i = 0; i < ADDRESS_LIMIT; i += 1) {
      const attempt = await passwordGrant(targets[i % 2], `nobody-${i}`, 'guess');
      assert.deepEqual(attempt, REFUSED, `attempt ${i + 1} of ${ADDRESS_LIMIT}`);
    }
    // Each server saw only half of the failures; together they reach the limit on both.
    for (const target of targets) {
      assert.deepEqual(await passwordGrant(target, username, PASSWORD), THROTTLED);
    }

    const count = Number(await redis.get(addressKey(prefix)));
    const ttl = await redis.ttl(addressKey(prefix));
    // The two refused attempts tried no password and were taken back.
    assert.equal(count, ADDRESS_LIMIT);
    assert.ok(ttl > 0 && ttl <= ADDRESS_WINDOW_SECONDS, `ttl ${ttl}`);

    // The counter is the one in Redis: once it is gone, both servers let the right password in.
    await redis.del(addressKey(prefix));
    for (const target of targets) {
      assert.deepEqual(await passwordGrant(target, username, PASSWORD), SIGNED_IN);
    }
    // A successful sign-in from an address with a clean record counts nothing.
    assert.equal(Number(await redis.get(addressKey(prefix))), 0);
  });
});

describe('sign-in throttling without Redis', () => {
  let apps: App[] = [];
  after(() => Promise.all(apps.map((app) => app.close())));

  test('each process counts its own failures', async () => {
    const [first, second] = await Promise.all([startApp({}), startApp({})]);
    apps = [first.app, second.app];

    for (let i = 0; i < ADDRESS_LIMIT; i += 1) {
      assert.deepEqual(await passwordGrant(first.target, `nobody-${i}`, 'guess'), REFUSED);
    }
    assert.deepEqual(await passwordGrant(first.target, first.user.username, PASSWORD), THROTTLED);
    const other = await passwordGrant(second.target, second.user.username, PASSWORD);
    assert.deepEqual(other, SIGNED_IN);
  });

  test('after a failure, concurrent guesses are counted before their password', async () => {
    const { app, target } = await startApp({});
    apps.push(app);
    assert.equal((await passwordGrant(target, 'nobody', 'first guess')).throttled, false);

    const burst = await Promise.all(
      Array.from({ length: ADDRESS_LIMIT * 2 }, (_, i) =>
        passwordGrant(target, `nobody-${i}`, 'guess'),
      ),
    );
    // With one failure on record, at most ADDRESS_LIMIT - 1 of the burst may try a password.
    const tried = burst.filter((a) => !a.throttled).length;
    assert.ok(tried >= 1 && tried <= ADDRESS_LIMIT - 1, `${tried} guesses were tried`);
    for (const attempt of burst) assert.equal(attempt.error, 'invalid_grant');
  });
});

/** A TCP relay to Redis that the test can take away and bring back on the same port. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('Redis unreachable at runtime', () => {
  test('down from the start: sign-in works, throttled per process, logged once', async () => {
    const closedPort = await freePort();
    const log = memoryLog();
    const started = Date.now();
    const { app, target, user } = await startApp(
      { REDIS_URL: `redis://127.0.0.1:${closedPort}` },
      log.logger,
    );
    try {
      assert.ok(Date.now() - started < 10_000, 'start-up waited too long for Redis');
      assert.deepEqual(await passwordGrant(target, user.username, PASSWORD), SIGNED_IN);
      for (let i = 0; i < ADDRESS_LIMIT; i += 1) {
        assert.deepEqual(await passwordGrant(target, `nobody-${i}`, 'guess'), REFUSED);
      }
      assert.deepEqual(await passwordGrant(target, user.username, PASSWORD), THROTTLED);
      const outages = log.events().filter((event) => event === 'rate_limiter.unavailable');
      // One warning at start, one error when sign-in first fell back; not one per request.
      assert.equal(outages.length, 2);
    } finally {
      await app.close();
    }
  });

  test('gone in the middle of a run, then back', { skip: needsRedis }, async () => {
    const prefix = `authly-test:${randomUUID()}:`;
    const redis = new Redis(redisUrl!);
    const relay = new Relay(await freePort(), new URL(redisUrl!));
    await relay.start();
    const log = memoryLog();
    const { app, target, user } = await startApp(
      { REDIS_URL: `redis://127.0.0.1:${relay.port}`, AUTHLY_REDIS_PREFIX: prefix },
      log.logger,
    );
    try {
      assert.deepEqual(await passwordGrant(target, 'nobody', 'guess'), REFUSED);
      assert.equal(await redis.get(addressKey(prefix)), '1');

      await relay.stop();
      const started = Date.now();
      assert.deepEqual(await passwordGrant(target, user.username, PASSWORD), SIGNED_IN);
      assert.deepEqual(await passwordGrant(target, 'nobody', 'guess'), REFUSED);
      assert.ok(Date.now() - started < 5_000, 'sign-in waited for Redis');
      assert.ok(log.events().includes('rate_limiter.unavailable'));
      assert.equal(await redis.get(addressKey(prefix)), '1');

      // Back on the same port: ioredis reconnects by itself, and counting moves back to Redis.
      await relay.start();
      const deadline = Date.now() + 15_000;
      while ((await redis.get(addressKey(prefix))) === '1' && Date.now() < deadline) {
        await passwordGrant(target, 'nobody', 'guess');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(await redis.get(addressKey(prefix)), '2');
      assert.ok(log.events().includes('rate_limiter.restored'));
    } finally {
      await app.close();
      await relay.stop();
      await redis.del(addressKey(prefix));
      await redis.quit();
    }
  });
});
