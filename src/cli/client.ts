/** `authly client create|list|delete`: the applications that ask for tokens. */
import { sha256 } from '../crypto/hash.js';
import { randomId, randomToken } from '../crypto/random.js';
import type { Client } from '../store/types.js';
import { parseCommandArgs } from './args.js';
import {
  AUTH_METHODS,
  checkScopesExist,
  GRANT_TYPES,
  readClientOptions,
} from './client-options.js';
import { printable } from './checks.js';
import { CommandFailed, EXIT_OK, UsageError, type CommandGroup } from './command.js';
import { formatTime, print, printJson, printTable } from './output.js';
import { withStore } from './store.js';

const createHelp = `Usage: authly client create --name <name> [options]

Registers a client and prints its client_id and, for a confidential client, its client_secret.
The secret is shown this once: Authly keeps only its SHA-256 hash.

Options:
  --name <name>              Display name, shown on the consent page (required)
  --redirect-uri <uri>       Redirect URI, absolute and without a fragment; repeat the option
                             for several (required with authorization_code; default: none)
  --grant-types <a,b>        Comma-separated, from ${GRANT_TYPES.slice(0, 2).join(', ')},
                             ${GRANT_TYPES.slice(2).join(', ')}
                             (default: authorization_code,refresh_token)
  --scope "<s1 s2>"          Space-separated scopes the client may request; each must exist
                             (see authly scope list). Default: "openid profile email", plus
                             offline_access with refresh_token, for clients that act for a
                             user; none for a client_credentials-only client
  --public                   A public client (native or browser app) with no secret: it
                             authenticates with "none" and proves itself with PKCE
  --auth-method <method>     ${AUTH_METHODS.join(' | ')}
                             (default: client_secret_basic; none with --public)
  --json                     Print one JSON object (client_id, client_secret, and the
                             registration with RFC 7591 names) instead of text
  -h, --help                 Show this help

Examples:
  authly client create --name 'Example App' --redirect-uri https://app.example.com/callback
  authly client create --name 'Mobile App' --public --redirect-uri com.example.app:/callback
  authly client create --name 'Billing job' --grant-types client_credentials --scope '' --json`;

const listHelp = `Usage: authly client list [--json]

Lists the registered clients with their type, authentication method, grant types, scopes and
redirect URIs. Secrets cannot be shown: only their hashes are stored.

Options:
  --json        Print a JSON array instead of a table
  -h, --help    Show this help

Example:
  authly client list`;

const deleteHelp = `Usage: authly client delete <client_id>
       authly client delete --client-id <client_id>

Deletes a client with its unused authorization codes, refresh tokens and consents. Running
servers may accept the client for up to 5 seconds more (their client cache).

Options:
  --client-id <id>    The client to delete (or give it as the argument)
  -h, --help          Show this help

Example:
  authly client delete 0b7f6b1e-7a41-4c43-9d0e-2f5c1a2b3c4d`;

export const clientGroup: CommandGroup = {
  summary: 'Manage the OAuth clients (applications)',
  example: "  authly client create --name 'Example App' --redirect-uri https://app.example.com/cb",
  subcommands: {
    create: {
      summary: 'Register a client and show its secret once',
      help: createHelp,
      run: create,
    },
    list: { summary: 'List the clients', help: listHelp, run: list },
    delete: { summary: 'Delete a client', help: deleteHelp, run: remove },
  },
};

async function create(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('client create', {
    args,
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'grant-types': { type: 'string' },
      scope: { type: 'string' },
      public: { type: 'boolean' },
      'auth-method': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const registration = readClientOptions(values);
  // 256 random bits (src/crypto/random.ts): a fast hash is enough to store it.
  const secret = registration.isPublic ? null : randomToken();

  const client = await withStore(async (store) => {
    await checkScopesExist(store, registration.scopes);
    return store.clients.create({
      ...registration,
      clientId: randomId(),
      secretHash: secret === null ? null : sha256(secret),
    });
  });

  if (values.json) {
    printJson({ ...describe(client), ...(secret === null ? {} : { client_secret: secret }) });
    return EXIT_OK;
  }
  print(`Created ${client.isPublic ? 'public' : 'confidential'} client "${client.name}".`);
  print(`client_id:     ${client.clientId}`);
  if (secret === null) {
    print('No secret: a public client authenticates with "none" and PKCE.');
  } else {
    print(`client_secret: ${secret}`);
    print('Keep the secret now: Authly stores only its hash and cannot show it again.');
  }
  return EXIT_OK;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('client list', {
    args,
    options: { json: { type: 'boolean' } },
  });
  const clients = await withStore((store) => store.clients.list());

  if (values.json) {
    printJson(clients.map(describe));
  } else if (clients.length === 0) {
    print('No clients yet (register one with authly client create).');
  } else {
    printTable(
      [
        'CLIENT_ID',
        'NAME',
        'TYPE',
        'AUTH_METHOD',
        'GRANT_TYPES',
        'SCOPE',
        'REDIRECT_URIS',
        'CREATED',
      ],
      clients.map((client) => [
        client.clientId,
        client.name,
        client.isPublic ? 'public' : 'confidential',
        client.authMethod,
        client.grantTypes.join(','),
        client.scopes.join(' ') || '-',
        client.redirectUris.join(' ') || '-',
        formatTime(client.createdAt),
      ]),
    );
  }
  return EXIT_OK;
}

async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('client delete', {
    args,
    allowPositionals: true,
    options: { 'client-id': { type: 'string' } },
  });
  const named = values['client-id'];
  const given = [...positionals, ...(named === undefined ? [] : [named])];
  if (given.length === 0) {
    throw new UsageError('missing client_id (see authly client delete --help)');
  }
  if (given.length > 1) throw new UsageError('give one client_id, as the argument or --client-id');
  const clientId = given[0];

  const deleted = await withStore((store) => store.clients.delete(clientId));
  if (!deleted) throw new CommandFailed(`no client with client_id "${printable(clientId)}"`);
  print(`Deleted client ${clientId}.`);
  return EXIT_OK;
}

/** A client as RFC 7591 §2 names its metadata; never the secret hash. */
function describe(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.authMethod,
    public: client.isPublic,
    created_at: client.createdAt.toISOString(),
  };
}
