/**
 * Store errors with stable codes. Callers branch on `code`, never on driver messages, so that
 * both engines fail the same way.
 */

/** The database cannot be reached or opened. The message is one line, fit for a log or a CLI. */
export class StoreUnavailable extends Error {
  readonly code = 'ERR_STORE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/**
 * A row with the same unique key exists already (a duplicate username, email, client_id …).
 * `field` names the column that clashed when the engine says so, e.g. `username`; the message
 * then reads "user with this username already exists" on either engine.
 */
export class StoreConflict extends Error {
  readonly code = 'ERR_STORE_CONFLICT';

  constructor(
    readonly entity: string,
    readonly field: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${entity}${field ? ` with this ${field}` : ''} already exists`, options);
    this.name = 'StoreConflict';
  }
}

/** Whether `err` is a unique-key clash: a StoreConflict, or a raw one from either driver. */
export function isUniqueViolation(err: unknown): boolean {
  if (err instanceof StoreConflict) return true;
  const code = (err as { code?: unknown } | null)?.code;
  // 23505 is PostgreSQL's unique_violation; SQLite reports primary keys separately.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
    || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Turns a driver's unique violation into a StoreConflict naming `entity`; anything else is
 * returned unchanged for the caller to rethrow.
 */
export function toStoreConflict(err: unknown, entity: string): unknown {
  if (!isUniqueViolation(err) || err instanceof StoreConflict) return err;
  return new StoreConflict(entity, conflictField(err), { cause: err });
}

/**
 * The clashing column, when the driver says it: PostgreSQL's detail reads `Key (username)=(…)
 * already exists.` (the value is never copied into the message), SQLite's message lists
 * `table.column`. For a key of several columns, the first one.
 */
function conflictField(err: unknown): string | null {
  const { detail, message } = err as { detail?: unknown; message?: unknown };
  const fromDetail = /^Key \(([a-z_]+)/.exec(typeof detail === 'string' ? detail : '');
  if (fromDetail) return fromDetail[1];
  return /constraint failed: \w+\.(\w+)/.exec(typeof message === 'string' ? message : '')?.[1]
    ?? null;
}
