/**
 * The schema (issue #2): every lookup path the server takes is served by an index, on both
 * engines, as each engine's query planner reports it. A missing index would not fail any other
 * suite (small tables scan quickly); it would only show under production load.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { openStore } from '../src/store/index.js';
import { freshDatabaseUrl, testEngines } from './helpers/engines.js';

/** Each lookup as the stores make it: the table and the condition. */
const LOOKUPS: [string, string][] = [
  ['users', "username = 'alice'"],
  ['users', "email = 'alice@example.com'"],
  ['clients', "client_id = 'app'"],
  ['authorization_codes', "code_hash = 'h'"],
  ['authorization_codes', 'expires_at <= 1'],
  ['refresh_tokens', "token_hash = 'h'"],
  ['refresh_tokens', "family_id = 'f'"],
  ['refresh_tokens', 'expires_at <= 1'],
  ['revoked_access_tokens', "jti = 'j'"],
  ['revoked_access_tokens', 'expires_at <= 1'],
  ['login_sessions', "id_hash = 'h'"],
  ['login_sessions', 'expires_at <= 1'],
  ['consents', "user_id = 'u' AND client_id = 'c'"],
  ['signing_keys', "kid = 'k'"],
];

/** The query plan of `SELECT * FROM <table> WHERE <condition>`, as one text. */
async function plan(databaseUrl: string, table: string, condition: string): Promise<string> {
  const query = `SELECT * FROM ${table} WHERE ${condition}`;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[];
      return rows.map((row) => row.detail).join('\n');
    } finally {
      db.close();
    }
  }
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Empty tables are cheapest to scan: forbid that, so the plan shows whether an index exists.
    return await sql.begin(async (tx) => {
      await tx.unsafe('SET LOCAL enable_seqscan = off');
      const rows = await tx.unsafe(`EXPLAIN ${query}`);
      return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
    });
  } finally {
    await sql.end();
  }
}

for (const engine of testEngines()) {
  describe(`schema indexes (${engine})`, () => {
    test('every lookup path is an index search, never a scan of the table', async () => {
      const databaseUrl = await freshDatabaseUrl(engine);
      const store = await openStore(databaseUrl);
      await store.migrate();
      await store.close();

      for (const [table, condition] of LOOKUPS) {
        const text = await plan(databaseUrl, table, condition);
        const indexed = engine === 'sqlite' ? /^SEARCH .* USING .*INDEX/m : /Index (Only )?Scan/;
        assert.match(text, indexed, `${table} WHERE ${condition}:\n${text}`);
        assert.doesNotMatch(text, engine === 'sqlite' ? /^SCAN/m : /Seq Scan/, `${table}: ${text}`);
      }
    });
  });
}
