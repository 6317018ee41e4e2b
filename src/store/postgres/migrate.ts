import type { Migration } from '../migration.js';
import type { Sql } from './database.js';

/**
 * The advisory lock that serialises migrations across processes: any fixed bigint works, as long
 * as nothing else in the database takes the same one. This is "authly" read as ASCII.
 */
const MIGRATION_LOCK = 0x617574686c79;

/**
 * Applies the migrations not yet recorded, each in its own transaction that first takes the
 * migration advisory lock: when several processes start at once, one applies a migration and
 * the others wait, then find it recorded and skip it. The lock is a transaction lock, so that a
 * process that dies mid-migration releases it with its rollback. Answers the versions applied
 * by this call.
 */
export async function migratePostgres(sql: Sql, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        applied_at bigint NOT NULL
      )`;
      const [recorded] = await tx`
        SELECT 1 FROM schema_migrations WHERE version = ${migration.version}`;
      if (recorded) return false;

      // Without parameters the driver sends the text as one simple query, several statements.
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, applied_at)
        VALUES (${migration.version}, ${Date.now()})`;
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
