import { toStoreConflict } from '../errors.js';
import type { ClientRepository, NewClient } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { json, toClient, type Row } from './rows.js';

/** OAuth clients on SQLite; their lists (redirect URIs, grant types, scopes) are JSON text. */
export function sqliteClients(db: Db, writer: Writer): ClientRepository {
  const insert = statement(
    db,
    `INSERT INTO clients (client_id, name, secret_hash, redirect_uris, grant_types, scopes,
       auth_method, is_public, created_at)
     VALUES (@clientId, @name, @secretHash, @redirectUris, @grantTypes, @scopes, @authMethod,
       @isPublic, @createdAt)
     RETURNING *`,
  );
  const byId = statement(db, 'SELECT * FROM clients WHERE client_id = ?');
  const all = statement(db, 'SELECT * FROM clients ORDER BY client_id');
  // Codes and refresh tokens have no foreign keys (see the migration), so they go explicitly;
  // consents follow through ON DELETE CASCADE.
  const removeCodes = statement(db, 'DELETE FROM authorization_codes WHERE client_id = ?');
  const removeTokens = statement(db, 'DELETE FROM refresh_tokens WHERE client_id = ?');
  const remove = statement(db, 'DELETE FROM clients WHERE client_id = ?');
  const removeAll = db.transaction((clientId: string) => {
    removeCodes().run(clientId);
    removeTokens().run(clientId);
    return remove().run(clientId).changes > 0;
  });

  return {
    async create(client: NewClient) {
      try {
        const row = await writer.write(() => insert().get({
          clientId: client.clientId,
          name: client.name,
          secretHash: client.secretHash,
          redirectUris: json(client.redirectUris),
          grantTypes: json(client.grantTypes),
          scopes: json(client.scopes),
          authMethod: client.authMethod,
          isPublic: client.isPublic ? 1 : 0,
          createdAt: Date.now(),
        }));
        return toClient(row as Row);
      } catch (error) {
        throw toStoreConflict(error, 'client');
      }
    },

    async find(clientId) {
      const row = byId().get(clientId) as Row | undefined;
      return row ? toClient(row) : null;
    },

    async list() {
      return (all().all() as Row[]).map(toClient);
    },

    async delete(clientId) {
      return writer.write(() => removeAll(clientId));
    },
  };
}
