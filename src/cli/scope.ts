/** `authly scope create|list`: the scopes clients may be allowed to request. */
import { StoreConflict } from '../store/errors.js';
import type { Scope } from '../store/types.js';
import { parseCommandArgs, required } from './args.js';
import { checkScopeName, checkText } from './checks.js';
import { CommandFailed, EXIT_OK, type CommandGroup } from './command.js';
import { print, printJson, printTable } from './output.js';
import { withStore } from './store.js';

const createHelp = `Usage: authly scope create --name <scope> [--description <text>]

Adds a scope that clients can then be allowed (authly client create --scope) and request. The
built-in scopes openid, profile, email and offline_access exist from the start.

Options:
  --name <scope>          Scope name: printable ASCII without spaces, quotes or backslashes
                          (RFC 6749 §3.3) (required)
  --description <text>    What the scope allows, in plain words for the consent page
                          (default: none)
  -h, --help              Show this help

Example:
  authly scope create --name invoices:read --description 'Read your invoices'`;

const listHelp = `Usage: authly scope list [--json]

Lists the scopes, built-in ones included, with their descriptions.

Options:
  --json        Print a JSON array instead of a table
  -h, --help    Show this help

Example:
  authly scope list`;

export const scopeGroup: CommandGroup = {
  summary: 'Manage the scopes clients may request',
  example: "  authly scope create --name invoices:read --description 'Read your invoices'",
  subcommands: {
    create: { summary: 'Add a scope', help: createHelp, run: create },
    list: { summary: 'List the scopes', help: listHelp, run: list },
  },
};

async function create(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('scope create', {
    args,
    options: { name: { type: 'string' }, description: { type: 'string' } },
  });
  const name = checkScopeName('name', required('scope create', 'name', values.name));
  const description =
    values.description === undefined ? null : checkText('description', values.description, 500);

  await withStore(async (store) => {
    try {
      await store.scopes.create({ name, description });
    } catch (error) {
      if (error instanceof StoreConflict) throw new CommandFailed(`scope "${name}" already exists`);
      throw error;
    }
  });
  print(`Created scope ${name}.`);
  return EXIT_OK;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('scope list', {
    args,
    options: { json: { type: 'boolean' } },
  });
  const scopes = await withStore((store) => store.scopes.list());

  if (values.json) {
    printJson(scopes.map(describe));
  } else {
    printTable(
      ['NAME', 'BUILT_IN', 'DESCRIPTION'],
      scopes.map((scope) => [scope.name, scope.builtIn ? 'yes' : 'no', scope.description ?? '-']),
    );
  }
  return EXIT_OK;
}

function describe(scope: Scope): Record<string, unknown> {
  return { name: scope.name, description: scope.description, built_in: scope.builtIn };
}
