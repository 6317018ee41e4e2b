import { toStoreConflict } from '../errors.js';
import type { ScopeRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { toScope, type Row } from './rows.js';

/** Scopes on SQLite; the built-in ones come from the first migration. */
export function sqliteScopes(db: Db, writer: Writer): ScopeRepository {
  const insert = statement(
    db,
    'INSERT INTO scopes (name, description, built_in) VALUES (?, ?, 0) RETURNING *',
  );
  const byName = statement(db, 'SELECT * FROM scopes WHERE name = ?');
  const all = statement(db, 'SELECT * FROM scopes ORDER BY name');

  return {
    async create(scope) {
      try {
        const row = await writer.write(() => insert().get(scope.name, scope.description ?? null));
        return toScope(row as Row);
      } catch (error) {
        throw toStoreConflict(error, 'scope');
      }
    },

    async find(name) {
      const row = byName().get(name) as Row | undefined;
      return row ? toScope(row) : null;
    },

    async list() {
      return (all().all() as Row[]).map(toScope);
    },
  };
}
