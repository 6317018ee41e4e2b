/**
 * The database of a benchmark run: SQLite in a temporary folder, or a fresh database made for the
 * run on the PostgreSQL server of DATABASE_URL (dropped afterwards), so that a run never writes
 * into a database someone uses. Also reads off how durable commits are, for the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import type { StoreEngine } from '../src/store/types.js';

/** A database made for one run. */
export interface BenchDatabase {
  engine: StoreEngine;
  url: string;
  /** Drops the database or removes the folder. */
  remove(): Promise<void>;
}

/** Makes an empty database: PostgreSQL when `serverUrl` is given, else SQLite. */
export async function createDatabase(serverUrl: string | null): Promise<BenchDatabase> {
  if (serverUrl === null) {
    const folder = mkdtempSync(join(tmpdir(), 'authly-bench-'));
    return {
      engine: 'sqlite',
      url: `sqlite:${join(folder, 'authly.db')}`,
      async remove() {
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }

  const name = `authly_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    url: url.toString(),
    async remove() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** How commits reach the disk, in the engine's own words (for the report). */
export async function describeDurability(database: BenchDatabase): Promise<string> {
  if (database.engine === 'sqlite') {
    const db = new Database(database.url.slice('sqlite:'.length), { readonly: true });
    try {
      const mode = db.pragma('journal_mode', { simple: true });
      const version = db.prepare('SELECT sqlite_version()').pluck().get();
      // A pragma is per connection: the store's writer sets NORMAL on its own and syncs the WAL
      // file itself after each group commit, before answering (src/store/sqlite/writer.ts).
      return (
        `SQLite ${version}, journal_mode=${mode}, group commits made durable by an fdatasync ` +
        'of the WAL file before any answer (as synchronous=FULL)'
      );
    } finally {
      db.close();
    }
  }

  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const [{ server_version: version }] = await sql`SHOW server_version`;
    const [{ synchronous_commit: commit }] = await sql`SHOW synchronous_commit`;
    const [{ fsync }] = await sql`SHOW fsync`;
    return `PostgreSQL ${version}, synchronous_commit=${commit}, fsync=${fsync}`;
  } finally {
    await sql.end();
  }
}
