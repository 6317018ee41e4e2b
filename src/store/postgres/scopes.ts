import { toStoreConflict } from '../errors.js';
import type { ScopeRepository } from '../types.js';
import type { Sql } from './database.js';
import { pg, storable } from './rows.js';

/** Scopes on PostgreSQL; the built-in ones come from the first migration. */
export function postgresScopes(sql: Sql): ScopeRepository {
  return {
    async create(scope) {
      try {
        const [row] = await sql`
          INSERT INTO scopes (name, description, built_in)
          VALUES (${scope.name}, ${scope.description ?? null}, false)
          RETURNING *`;
        return pg.toScope(row);
      } catch (error) {
        throw toStoreConflict(error, 'scope');
      }
    },

    async find(name) {
      if (!storable(name)) return null;
      const [row] = await sql`SELECT * FROM scopes WHERE name = ${name}`;
      return row ? pg.toScope(row) : null;
    },

    async list() {
      // COLLATE "C" orders by code point, as SQLite's BINARY does, whatever the database locale.
      const rows = await sql`SELECT * FROM scopes ORDER BY name COLLATE "C"`;
      return rows.map(pg.toScope);
    },
  };
}
