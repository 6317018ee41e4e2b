#!/usr/bin/env node
// The `npm test` runner: finds PostgreSQL and Redis, then runs every compiled suite with node:test.
// Under CI (CI=true) both services must answer; elsewhere the suites that need them are left out
// and the run says so plainly.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.AUTHLY_TEST_POSTGRES_URL
  || (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null)
  || 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.AUTHLY_TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

// Test databases are named authly_t_<runner pid>_…, so that runs side by side leave each other be.
const dbPrefix = `authly_t_${process.pid}_`;

function runnerAlive(datname) {
  const pid = Number(/^authly_t_(\d+)_/.exec(datname)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function checkPostgres() {
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    // Leftovers of earlier runs that were interrupted (their runner is gone).
    const old = await sql`select datname from pg_database where datname like 'authly_t_%'`;
    for (const { datname } of old) {
      if (!runnerAlive(datname)) await sql.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    return null;
  } catch (error) {
    return error.message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function checkRedis() {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
    const timer = setTimeout(() => finish('no answer within 3 s'), 3000);
    function finish(problem) {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    }
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => finish(data.toString().startsWith('+PONG') ? null : data.toString()));
    socket.on('error', (error) => finish(error.message));
  });
}

function findSuites(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findSuites(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

const [pgProblem, redisProblem] = await Promise.all([checkPostgres(), checkRedis()]);
const left = [];
const env = { ...process.env, AUTHLY_TEST_DB_PREFIX: dbPrefix };
delete env.DATABASE_URL;
if (pgProblem) left.push(`PostgreSQL suites (${pgUrl}: ${pgProblem})`);
else env.AUTHLY_TEST_POSTGRES_URL = pgUrl;
if (redisProblem) left.push(`Redis suites (${redisUrl}: ${redisProblem})`);
else env.AUTHLY_TEST_REDIS_URL = redisUrl;

if (left.length > 0 && ci) {
  for (const what of left) console.error(`CI needs ${what}`);
  process.exit(1);
}

const filters = process.argv.slice(2);
const suites = findSuites('dist/test').filter(
  (file) => filters.length === 0 || filters.some((f) => file.includes(f)),
);
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=3', '--test-timeout=120000', ...suites],
  { stdio: 'inherit', env },
);
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));

const sql = pgProblem ? null : postgres(pgUrl, { max: 1, onnotice: () => {} });
if (sql) {
  const made = await sql`select datname from pg_database where starts_with(datname, ${dbPrefix})`;
  for (const { datname } of made) await sql.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await sql.end();
}
if (left.length > 0) {
  console.log('\nLeft out of this run (start the service to include them):');
  for (const what of left) console.log(`  - ${what}`);
}
process.exit(code);
