import { toStoreConflict } from '../errors.js';
import type { ClientRepository, NewClient } from '../types.js';
import type { Sql } from './database.js';
import { pg, storable } from './rows.js';

/** OAuth clients on PostgreSQL; their lists (redirect URIs, grant types, scopes) are text[]. */
export function postgresClients(sql: Sql): ClientRepository {
  return {
    async create(client: NewClient) {
      try {
        const [row] = await sql`
          INSERT INTO clients (client_id, name, secret_hash, redirect_uris, grant_types, scopes,
            auth_method, is_public, created_at)
          VALUES (${client.clientId}, ${client.name}, ${client.secretHash},
            ${client.redirectUris}, ${client.grantTypes}, ${client.scopes}, ${client.authMethod},
            ${client.isPublic}, ${Date.now()})
          RETURNING *`;
        return pg.toClient(row);
      } catch (error) {
        throw toStoreConflict(error, 'client');
      }
    },

    async find(clientId) {
      if (!storable(clientId)) return null;
      const [row] = await sql`SELECT * FROM clients WHERE client_id = ${clientId}`;
      return row ? pg.toClient(row) : null;
    },

    async list() {
      // COLLATE "C" orders by code point, as SQLite's BINARY does, whatever the database locale.
      const rows = await sql`SELECT * FROM clients ORDER BY client_id COLLATE "C"`;
      return rows.map(pg.toClient);
    },

    async delete(clientId) {
      // Codes and refresh tokens have no foreign keys (see the migration); consents follow
      // through ON DELETE CASCADE.
      const rows = await sql`
        WITH codes AS (DELETE FROM authorization_codes WHERE client_id = ${clientId}),
          tokens AS (DELETE FROM refresh_tokens WHERE client_id = ${clientId})
        DELETE FROM clients WHERE client_id = ${clientId} RETURNING client_id`;
      return rows.length > 0;
    },
  };
}
