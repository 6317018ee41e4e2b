/** `authly user create|list`: the people who sign in. */
import { hashPassword } from '../crypto/password.js';
import { StoreConflict } from '../store/errors.js';
import type { Store, User } from '../store/types.js';
import { parseCommandArgs, required } from './args.js';
import { checkIdentifier, checkText } from './checks.js';
import { CommandFailed, EXIT_OK, UsageError, type CommandGroup } from './command.js';
import { formatTime, print, printJson, printTable } from './output.js';
import { withStore } from './store.js';

/** NIST SP 800-63B §5.1.1.2: memorised secrets of at least 8 characters. */
const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing one stays cheap. */
const MAX_PASSWORD_LENGTH = 1024;

const createHelp = `Usage: authly user create --username <name> --password <password> [options]

Creates a user who can sign in. The password is stored only as an argon2id hash.

Options:
  --username <name>       Sign-in name, unique, without spaces (required)
  --password <password>   At least ${MIN_PASSWORD_LENGTH} characters (required)
  --email <address>       Email address, unique; the "email" claim (default: none)
  --name <full name>      Display name; the "name" claim (default: none)
  --admin                 Mark the user as an administrator (default: not)
  --json                  Print the new user as JSON
  -h, --help              Show this help

Example:
  authly user create --username alice --password 'correct horse battery' \\
    --email alice@example.com --name 'Alice Liddell'`;

const listHelp = `Usage: authly user list [--json]

Lists the users: id, username, email, name, admin flag and creation time (UTC). Password hashes
are never shown.

Options:
  --json        Print a JSON array instead of a table
  -h, --help    Show this help

Example:
  authly user list`;

export const userGroup: CommandGroup = {
  summary: 'Manage the users who sign in',
  example: '  authly user create --username alice --password \'correct horse battery\'',
  subcommands: {
    create: { summary: 'Create a user', help: createHelp, run: createUser },
    list: { summary: 'List the users', help: listHelp, run: listUsers },
  },
};

async function createUser(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('user create', {
    args,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const given = required('user create', 'username', values.username);
  const username = checkIdentifier('username', given, 100);
  const password = checkPassword(required('user create', 'password', values.password));
  const email = values.email === undefined ? null : checkEmail(values.email);
  const name = values.name === undefined ? null : checkText('name', values.name, 200);

  const user = await withStore(async (store) => {
    await checkUnique(store, username, email);
    const passwordHash = await hashPassword(password);
    try {
      const isAdmin = values.admin;
      return await store.users.create({ username, email, name, passwordHash, isAdmin });
    } catch (error) {
      // Another process created the same user between the check and the insert.
      if (error instanceof StoreConflict) throw new CommandFailed(`user ${error.message}`);
      throw error;
    }
  });

  if (values.json) printJson(describe(user));
  else print(`Created user ${user.username} (id ${user.id})`);
  return EXIT_OK;
}

async function checkUnique(store: Store, username: string, email: string | null): Promise<void> {
  if (await store.users.findByUsername(username)) {
    throw new CommandFailed(`a user named "${username}" already exists`);
  }
  if (email !== null && (await store.users.findByEmail(email))) {
    throw new CommandFailed(`a user with email ${email} already exists`);
  }
}

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new UsageError(`--password is longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/** One @, something on each side, no spaces: what every mail system accepts, nothing stricter. */
function checkEmail(value: string): string {
  const email = checkIdentifier('email', value, 254);
  if (!/^[^@]+@[^@]+$/.test(email)) {
    throw new UsageError(`--email "${email}" is not an email address`);
  }
  return email;
}

async function listUsers(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('user list', {
    args,
    options: { json: { type: 'boolean' } },
  });
  const users = await withStore((store) => store.users.list());

  if (values.json) {
    printJson(users.map(describe));
  } else if (users.length === 0) {
    print('No users yet (add one with authly user create).');
  } else {
    printTable(
      ['ID', 'USERNAME', 'EMAIL', 'NAME', 'ADMIN', 'CREATED'],
      users.map((user) => [
        user.id,
        user.username,
        user.email ?? '-',
        user.name ?? '-',
        user.isAdmin ? 'yes' : 'no',
        formatTime(user.createdAt),
      ]),
    );
  }
  return EXIT_OK;
}

/** What a script may see of a user: never the password hash or the lockout counters. */
function describe(user: User): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    admin: user.isAdmin,
    created_at: user.createdAt.toISOString(),
  };
}
