import type { ConsentRepository } from '../types.js';
import { statement, type Db } from './database.js';
import type { Writer } from './writer.js';
import { json, ms, toConsent, type Row } from './rows.js';

/** Consents on SQLite: one row per user and client holding every scope granted so far. */
export function sqliteConsents(db: Db, writer: Writer): ConsentRepository {
  const find = statement(db, 'SELECT * FROM consents WHERE user_id = ? AND client_id = ?');
  const upsert = statement(
    db,
    `INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, client_id)
     DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at`,
  );
  const remove = statement(db, 'DELETE FROM consents WHERE user_id = ? AND client_id = ?');

  // Read and write in one transaction of the writer, so that two grants at once both keep
  // their scopes.
  const grant = db.transaction((userId: string, clientId: string, scope: string[], now: Date) => {
    const row = find().get(userId, clientId) as Row | undefined;
    const granted = row ? toConsent(row).scope : [];
    const union = [...new Set([...granted, ...scope])];
    upsert().run(userId, clientId, json(union), ms(now));
  });

  return {
    async grant(userId, clientId, scope, now) {
      await writer.write(() => grant(userId, clientId, scope, now));
    },

    async find(userId, clientId) {
      const row = find().get(userId, clientId) as Row | undefined;
      return row ? toConsent(row) : null;
    },

    async revoke(userId, clientId) {
      await writer.write(() => remove().run(userId, clientId));
    },
  };
}
