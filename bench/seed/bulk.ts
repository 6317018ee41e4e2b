/**
 * Background rows for the growth check: stored refresh tokens, authorization codes and denied
 * access-token ids that no request of the run touches, as a long-running deployment accumulates
 * them. Each table gets its rows from one INSERT … SELECT over a generated series, so that a
 * million rows take seconds and not a million round trips. Hashes are random, as real ones are,
 * so that they land all over the primary-key index rather than at its end.
 */
import Database from 'better-sqlite3';
import postgres from 'postgres';
import type { BenchDatabase } from '../database.js';

/** Rows per table, counted. */
export interface StoredRows {
  refresh_tokens: number;
  authorization_codes: number;
  revoked_access_tokens: number;
}

const DAY = 24 * 3600 * 1000;

/** The statements for SQLite; `:n` rows each, numbered by a recursive CTE. */
const SQLITE = [
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n)
   INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id, scope,
     auth_time, issued_at, expires_at, family_expires_at, used_at, revoked_at)
   SELECT hex(randomblob(32)), hex(randomblob(16)), NULL, 'background-client',
     'background-user-' || (i % 5000), '["openid","offline_access"]', :now, :now, :expires,
     :expires, CASE WHEN i % 3 = 0 THEN :now END, NULL
   FROM n`,
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n)
   INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope,
     code_challenge, code_challenge_method, nonce, auth_time, max_age_requested, session_id,
     expires_at, consumed_at)
   SELECT hex(randomblob(32)), 'background-client', 'background-user-' || (i % 5000),
     'https://background.example/cb', '["openid"]', hex(randomblob(32)), 'S256', NULL, :now, 0,
     NULL, :expires, :now
   FROM n`,
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n)
   INSERT INTO revoked_access_tokens (jti, expires_at)
   SELECT lower(hex(randomblob(16))), :expires FROM n`,
];

/** The same for PostgreSQL, over generate_series: $1 rows, $2 now, $3 expiry. */
const POSTGRES = [
  `INSERT INTO refresh_tokens (token_hash, family_id, parent_hash, client_id, user_id, scope,
     auth_time, issued_at, expires_at, family_expires_at, used_at, revoked_at)
   SELECT md5(random()::text) || md5(random()::text), md5(random()::text), NULL,
     'background-client', 'background-user-' || (i % 5000), ARRAY['openid', 'offline_access'],
     $2, $2, $3, $3, CASE WHEN i % 3 = 0 THEN $2::bigint END, NULL
   FROM generate_series(1, $1::int) AS i`,
  `INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope,
     code_challenge, code_challenge_method, nonce, auth_time, max_age_requested, session_id,
     expires_at, consumed_at)
   SELECT md5(random()::text) || md5(random()::text), 'background-client',
     'background-user-' || (i % 5000), 'https://background.example/cb', ARRAY['openid'],
     md5(random()::text), 'S256', NULL, $2, false, NULL, $3, $2
   FROM generate_series(1, $1::int) AS i`,
  // $2 is unused here but must still have a type.
  `INSERT INTO revoked_access_tokens (jti, expires_at)
   SELECT gen_random_uuid()::text, $3 FROM generate_series(1, $1::int) AS i
   WHERE $2::bigint IS NOT NULL`,
];

const COUNT = `SELECT
  (SELECT count(*) FROM refresh_tokens) AS refresh_tokens,
  (SELECT count(*) FROM authorization_codes) AS authorization_codes,
  (SELECT count(*) FROM revoked_access_tokens) AS revoked_access_tokens`;

/**
 * Adds `count` background rows to each table, refreshes the planner's statistics (as autovacuum
 * or a maintenance job would), and answers how many rows each table holds now.
 */
export async function addBackgroundRows(
  database: BenchDatabase,
  count: number,
): Promise<StoredRows> {
  const now = Date.now();
  const expires = now + 30 * DAY;

  if (database.engine === 'sqlite') {
    const db = new Database(database.url.slice('sqlite:'.length));
    try {
      db.pragma('busy_timeout = 30000');
      if (count > 0) for (const text of SQLITE) db.prepare(text).run({ n: count, now, expires });
      db.exec('ANALYZE');
      // Fold the bulk insert's WAL into the database now rather than during the measurement.
      db.pragma('wal_checkpoint(TRUNCATE)');
      return toCounts(db.prepare(COUNT).get() as Record<string, unknown>);
    } finally {
      db.close();
    }
  }

  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    if (count > 0) for (const text of POSTGRES) await sql.unsafe(text, [count, now, expires]);
    await settle(sql);
    const [row] = await sql.unsafe(COUNT);
    return toCounts(row);
  } finally {
    await sql.end();
  }
}

/**
 * Does now the upkeep a bulk insert of millions of rows sets off, which would otherwise run beside
 * the measurement that follows and be counted as growth: autovacuum's pass over the new rows (and
 * the statistics), and the checkpoint that writes the dirty pages out. A database that reached
 * that size over months would carry neither. CHECKPOINT needs a superuser or pg_checkpoint; without
 * it the checkpoint is left to the server.
 */
async function settle(sql: postgres.Sql): Promise<void> {
  await sql`VACUUM (ANALYZE) refresh_tokens, authorization_codes, revoked_access_tokens`;
  try {
    await sql`CHECKPOINT`;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error; // insufficient_privilege
  }
}

function toCounts(row: Record<string, unknown>): StoredRows {
  return {
    refresh_tokens: Number(row.refresh_tokens),
    authorization_codes: Number(row.authorization_codes),
    revoked_access_tokens: Number(row.revoked_access_tokens),
  };
}
