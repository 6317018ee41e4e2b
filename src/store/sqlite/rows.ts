/**
 * SQLite rows: booleans are 0/1, arrays and JWKs are JSON text, times are epoch milliseconds.
 * The mapping to store types is shared with PostgreSQL (../rows.ts).
 */
import { rowMappers } from '../rows.js';

export { ms, type Row } from '../rows.js';

/** An array or object as stored: JSON text. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** The row mappers for SQLite's column encoding. */
export const {
  toUser,
  toClient,
  toScope,
  toCode,
  toRefreshToken,
  toSession,
  toConsent,
  toSigningKey,
} = rowMappers({
  flag: (value) => value === 1,
  list: (value) => JSON.parse(value as string) as string[],
  object: (value) => JSON.parse(value as string) as Record<string, unknown>,
});
