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
 * `field` names the column that clashed when the engine says so, e.g. `username`.
 */
export class StoreConflict extends Error {
  readonly code = 'ERR_STORE_CONFLICT';

  constructor(
    readonly entity: string,
    readonly field: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${entity} already exists${field ? ` (same ${field})` : ''}`, options);
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
 * The clashing column: PostgreSQL names the constraint (`users_username_key`, by the naming rule
 * of the migrations), SQLite lists `table.column` in its message.
 */
function conflictField(err: unknown): string | null {
  const { constraint_name: constraint, message } = err as {
    constraint_name?: string;
    message?: string;
  };
  if (constraint) return fieldOf(constraint);
  return /constraint failed: \w+\.(\w+)/.exec(message ?? '')?.[1] ?? null;
}

/** `users_username_key` → `username`; `null` for a constraint outside the naming rule. */
function fieldOf(constraint: string): string | null {
  const table = TABLES.find((name) => constraint.startsWith(`${name}_`));
  if (!table || !constraint.endsWith('_key')) return null;
  return constraint.slice(table.length + 1, -'_key'.length);
}

/** Longest names first, so that a table whose name prefixes another's cannot match early. */
const TABLES = [
  'authorization_codes',
  'revoked_access_tokens',
  'refresh_tokens',
  'login_sessions',
  'signing_keys',
  'consents',
  'clients',
  'scopes',
  'users',
];
