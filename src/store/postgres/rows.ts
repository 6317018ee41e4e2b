/**
 * PostgreSQL rows: booleans are boolean, arrays text[], JWKs jsonb and times bigint epoch
 * milliseconds (decoded to numbers by ./database.ts). The mapping to store types is shared with
 * SQLite (../rows.ts).
 */
import { rowMappers } from '../rows.js';

export { ms, type Row } from '../rows.js';

/** The row mappers for PostgreSQL's column types: `pg.toUser(row)` and so on. */
export const pg = rowMappers({
  flag: (value) => value === true,
  list: (value) => value as string[],
  object: (value) => value as Record<string, unknown>,
});

/**
 * PostgreSQL text cannot hold U+0000 and refuses such a parameter with an error, where SQLite
 * would simply find nothing. Lookups by a key that came from a request use this to answer
 * "not found" instead, as SQLite does.
 */
export function storable(key: string): boolean {
  return !key.includes('\u0000');
}
