/**
 * Several processes starting at once on one database (issue #2): each runs the real start-up
 * (createApp: migrate, load or create the signing keys, serve), and together they must apply each
 * migration once and end with one key per algorithm, which every process publishes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import type { StoreEngine } from '../src/store/types.js';
import { freshDatabaseUrl, testEngines } from './helpers/engines.js';

/** The repository root (this file runs from dist/test/). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = new URL('../', import.meta.url);

/**
 * One server process: imports everything first, says "ready" and waits for "go" on stdin (so
 * that the processes really start together), runs createApp, listens on port 0, reads its own
 * JWKS over HTTP, and prints the kids and the migrations it applied (from its start-up log) as
 * JSON.
 */
const CHILD = `
import { Writable } from 'node:stream';
import pino from 'pino';
const { createApp } = await import(process.env.APP_MODULE);
const { loadConfig } = await import(process.env.CONFIG_MODULE);

const logs = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logs.push(JSON.parse(chunk));
    done();
  },
});
const config = loadConfig(process.env);
console.log('ready');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();

const app = await createApp(config, { logger: pino({ level: 'info' }, sink) });
try {
  const origin = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const jwks = await (await fetch(origin + '/.well-known/jwks.json')).json();
  const applied = logs.find((line) => line.msg === 'migrations applied')?.applied ?? [];
  console.log(JSON.stringify({ kids: jwks.keys.map((key) => key.kid).sort(), applied }));
} finally {
  await app.close();
}
`;

interface StartUp {
  kids: string[];
  applied: string[];
}

/** Answers the output of `child` once it has written `marker`, or fails when it exits first. */
function outputUntil(child: ChildProcess, marker: RegExp): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (marker.test(output)) resolve(output);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      if (!marker.test(output)) reject(new Error(`exited with ${code}: ${output}`));
    });
  });
}

/**
 * Starts `count` server processes on `databaseUrl`, waits until every one has loaded, then lets
 * them all start at once; answers their reports.
 */
async function startTogether(databaseUrl: string, count: number): Promise<StartUp[]> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTHLY_LOG_LEVEL: 'info',
    APP_MODULE: new URL('src/app.js', DIST).href,
    CONFIG_MODULE: new URL('src/config/config.js', DIST).href,
  };
  delete env.REDIS_URL;
  delete env.AUTHLY_PORT;

  const args = ['--input-type=module', '-e', CHILD];
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, args, { cwd: ROOT, env, timeout: 60_000 }),
  );
  const reports = children.map((child) => outputUntil(child, /\{"kids".*\}\n/));
  await Promise.all(children.map((child) => outputUntil(child, /^ready$/m)));
  for (const child of children) child.stdin.write('go\n');

  const outputs = await Promise.all(reports);
  return outputs.map((output) => JSON.parse(output.trim().split('\n').at(-1) ?? '') as StartUp);
}

/** What the database holds afterwards: recorded migration versions and signing-key algs. */
interface Stored {
  versions: string[];
  keys: { alg: string; kid: string }[];
}

async function readStored(engine: StoreEngine, databaseUrl: string): Promise<Stored> {
  const versionsSql = 'SELECT version FROM schema_migrations ORDER BY version';
  const keysSql = 'SELECT alg, kid FROM signing_keys ORDER BY alg';
  if (engine === 'sqlite') {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      const versions = db.prepare(versionsSql).pluck().all() as string[];
      const keys = db.prepare(keysSql).all() as Stored['keys'];
      return { versions, keys };
    } finally {
      db.close();
    }
  }

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const versions = (await sql.unsafe(versionsSql)).map((row) => row.version as string);
    const keys = (await sql.unsafe(keysSql)).map(({ alg, kid }) => ({ alg, kid }));
    return { versions, keys };
  } finally {
    await sql.end();
  }
}

for (const engine of testEngines()) {
  describe(`processes starting together (${engine})`, () => {
    test('migrate once and share one signing key per algorithm', async () => {
      const databaseUrl = await freshDatabaseUrl(engine);
      const [first, second] = await startTogether(databaseUrl, 2);

      // Exactly one process applied the first migration; the other found it done.
      const applied = [first.applied, second.applied].sort((a, b) => b.length - a.length);
      assert.deepEqual(applied, [['001-initial'], []]);

      const stored = await readStored(engine, databaseUrl);
      assert.deepEqual(stored.versions, ['001-initial']);
      assert.deepEqual(stored.keys.map((key) => key.alg), ['ES256', 'RS256']);

      // Both publish the same keys: the ones in the database.
      const kids = stored.keys.map((key) => key.kid).sort();
      assert.deepEqual(first.kids, kids);
      assert.deepEqual(second.kids, kids);
    });
  });
}
