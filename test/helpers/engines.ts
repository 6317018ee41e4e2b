/**
 * Which storage engines the suites run against, and fresh databases for them.
 *
 * scripts/test.mjs (the `npm test` runner) checks PostgreSQL and Redis before any test starts and
 * passes what it found as AUTHLY_TEST_POSTGRES_URL and AUTHLY_TEST_REDIS_URL. Under CI both must be
 * reachable; elsewhere the runner says which suites it left out.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { StoreEngine } from '../../src/store/types.js';

/** The engines to run engine-dependent suites on: SQLite always, PostgreSQL when reachable. */
export function testEngines(): StoreEngine[] {
  return process.env.AUTHLY_TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** The Redis URL for suites that need Redis, or undefined when it was left out. */
export function testRedisUrl(): string | undefined {
  return process.env.AUTHLY_TEST_REDIS_URL || undefined;
}

/** A temporary folder, removed by the OS eventually; tests must not depend on what is in /tmp. */
export function tempDir(prefix = 'authly-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A DATABASE_URL for an empty database: a new SQLite file, or a new PostgreSQL database created
 * on the server the runner found (dropped by the runner when the run ends).
 */
export async function freshDatabaseUrl(engine: StoreEngine): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${join(tempDir(), 'authly.db')}`;

  const adminUrl = process.env.AUTHLY_TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error('AUTHLY_TEST_POSTGRES_URL is not set (run through npm test)');
  const prefix = process.env.AUTHLY_TEST_DB_PREFIX ?? `authly_t_${process.pid}_`;
  const name = `${prefix}${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Every row of every table of the database at `databaseUrl`, as JSON text, read over a connection
 * of its own: what someone who copied the database would hold.
 */
export async function storedText(databaseUrl: string): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      for (const { name } of names as { name: string }[]) {
        tables[name] = db.prepare(`SELECT * FROM "${name}"`).all();
      }
    } finally {
      db.close();
    }
  } else {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const names = await sql<{ name: string }[]>`
        SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
      for (const { name } of names) tables[name] = await sql.unsafe(`SELECT * FROM "${name}"`);
    } finally {
      await sql.end();
    }
  }
  return JSON.stringify(tables, (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}
