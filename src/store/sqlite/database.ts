import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;
export type Statement = Database.Statement;

/**
 * Several worker processes may write to the same file: a writer waits up to this long for
 * another's lock instead of failing with SQLITE_BUSY at once.
 */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the database file and its folder, with the settings every
 * connection needs: WAL so that readers never block the writer, synchronous FULL so that a
 * commit survives a power cut (the store's writer then takes over that sync, see ./writer.ts),
 * and foreign keys, which SQLite leaves off by default.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A statement prepared on first use and kept: preparing checks that the tables exist, which
 * they do only once migrate() has run.
 */
export function statement(db: Db, sql: string): () => Statement {
  let prepared: Statement | undefined;
  return () => (prepared ??= db.prepare(sql));
}
