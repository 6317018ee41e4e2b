import type { AppContext } from '../../context.js';
import type { Client } from '../../store/types.js';
import { loadClient } from '../client-auth/client-cache.js';
import { InvalidRequest } from '../errors.js';

/**
 * The client must be registered (RFC 6749 §4.1.2.1). Until it is known, nothing can be sent back
 * to it, so this error becomes a page for the user. Read through the same short-lived cache as
 * client authentication (client-cache.ts).
 */
export async function checkClient(
  ctx: AppContext,
  params: Record<string, string>,
): Promise<Client> {
  const clientId = params.client_id;
  if (clientId === undefined) {
    throw new InvalidRequest('The request does not name an application (client_id is missing).');
  }

  const client = await loadClient(ctx.store, clientId);
  if (!client) {
    throw new InvalidRequest('The application that sent you here is not known to this server.');
  }
  return client;
}
