import postgres from 'postgres';
import { StoreUnavailable } from '../errors.js';

/**
 * How long one connection attempt may take. The driver's default (30 s) would hold start-up
 * long past the point where an operator wants to hear that the server is unreachable.
 */
const CONNECT_TIMEOUT_S = 10;

/** PostgreSQL's bigint (int8) type id: every time column is bigint epoch milliseconds. */
const INT8 = 20;

/**
 * The driver's default hands int8 over as a string, since it can exceed 2^53. Epoch milliseconds
 * stay far below that, so they come back as numbers, like SQLite's INTEGER.
 */
const epochMs = {
  to: INT8,
  from: [INT8],
  serialize: (value: number) => String(value),
  parse: (raw: string) => Number(raw),
};

/** A pool of connections to one database. */
export type Sql = postgres.Sql<{ epochMs: number }>;

/**
 * Opens a pool of at most `poolSize` connections to `url` and checks it with one query, so that a
 * bad URL, a wrong password or a server that is down fails here and not on the first request.
 * Statements are prepared (the driver's default) and commits stay synchronous, so that a token
 * answered to a client survives a crash of the database server.
 */
export async function openPool(url: string, poolSize: number): Promise<Sql> {
  let sql: Sql;
  try {
    // The driver takes what it can from a malformed URL (`db:port` as a host name, say) and
    // fails later on the lookup; a URL that does not parse is refused here, saying so.
    new URL(url);
    sql = postgres(url, {
      max: poolSize,
      connect_timeout: CONNECT_TIMEOUT_S,
      types: { epochMs },
      // Notices (e.g. "relation already exists, skipping") are not for the operator's log.
      onnotice: () => {},
      connection: { application_name: 'authly' },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailable(`DATABASE_URL is not a valid PostgreSQL URL: ${reason}`, {
      cause: error,
    });
  }

  try {
    await sql`SELECT 1`;
    return sql;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw unavailable(url, error);
  }
}

/** StoreUnavailable with one line naming the server (never the password) and the reason. */
export function unavailable(url: string, error: unknown): StoreUnavailable {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailable(`cannot reach PostgreSQL at ${describe(url)}: ${reason}`, {
    cause: error,
  });
}

/** `host:port/database` of a postgres:// URL, for messages: never its password. */
function describe(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname || 'localhost'}:${port || 5432}${pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
