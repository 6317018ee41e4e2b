import type { Migration } from '../migration.js';
import type { Db } from './database.js';

const VERSIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version TEXT PRIMARY KEY,
  applied_at INTEGER NOT NULL
) STRICT`;

/**
 * Applies the migrations not yet recorded, each in its own BEGIN IMMEDIATE transaction: the
 * write lock is taken before the version check, so two processes starting together apply each
 * migration once (the second waits on busy_timeout, then finds it recorded). Answers the versions
 * applied by this call.
 */
export function migrateSqlite(db: Db, migrations: Migration[]): string[] {
  const applied: string[] = [];
  const applyOne = db.transaction((migration: Migration): boolean => {
    db.exec(VERSIONS_TABLE);
    const done = db
      .prepare('SELECT 1 FROM schema_migrations WHERE version = ?')
      .get(migration.version);
    if (done) return false;

    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
      .run(migration.version, Date.now());
    return true;
  });

  for (const migration of migrations) {
    if (applyOne.immediate(migration)) applied.push(migration.version);
  }
  return applied;
}
