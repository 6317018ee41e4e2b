/**
 * The `authly` command (issue #2): every command run as an operator runs it, the compiled
 * bin/authly.js in a child process, against a fresh SQLite file and a fresh PostgreSQL database.
 * Each test checks what is printed, the exit code, and what is (or is not) stored.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/http/logger.js';
import { assertRefused, authly, select } from './helpers/cli.js';
import { freshDatabaseUrl, storedText, tempDir, testEngines } from './helpers/engines.js';

const run = promisify(execFile);

/** Every command, by the words that name it. */
const COMMANDS = [
  ['serve'],
  ['migrate'],
  ['user', 'create'],
  ['user', 'list'],
  ['client', 'create'],
  ['client', 'list'],
  ['client', 'delete'],
  ['scope', 'create'],
  ['scope', 'list'],
  ['keys', 'rotate'],
  ['keys', 'list'],
];

/** OWASP's argon2id parameters, as the PHC string records them. */
const ARGON2ID_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A list column: text[] on PostgreSQL, JSON text on SQLite. */
function list(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

describe('authly --help', () => {
  test('the overview lists every command and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { code, stdout, stderr } = await authly([flag]);
      assert.equal(code, 0);
      assert.equal(stderr, '');
      assert.match(stdout, /^Usage: authly <command> \[options\]/);
      for (const words of COMMANDS) assert.match(stdout, new RegExp(`\\n  ${words.join(' ')} `));
    }
  });

  test('without a command it shows the overview on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await authly([]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^Usage: authly <command>/);
  });

  test('every command has its own help with usage, options and an example', async () => {
    for (const words of COMMANDS) {
      const { code, stdout, stderr } = await authly([...words, '--help']);
      assert.equal(code, 0, words.join(' '));
      assert.equal(stderr, '');
      assert.ok(stdout.startsWith(`Usage: authly ${words.join(' ')}`), stdout);
      assert.match(stdout, /\nOptions:\n/);
      assert.match(stdout, /\nExamples?:\n {2}.*authly /);
      for (const line of stdout.split('\n')) assert.ok(line.length <= 100, `too wide: ${line}`);
    }
  });

  test('every group has a help listing its commands', async () => {
    for (const group of ['user', 'client', 'scope', 'keys']) {
      const { code, stdout } = await authly([group, '--help']);
      assert.equal(code, 0);
      assert.ok(stdout.startsWith(`Usage: authly ${group} <command>`));
      for (const words of COMMANDS.filter(([first]) => first === group)) {
        assert.match(stdout, new RegExp(`\\n  ${words[1]} `));
      }
    }
  });

  test('--help wins over a mistake elsewhere on the line, and nothing runs', async () => {
    const cwd = tempDir('authly-cli-');
    const { code, stdout } = await authly(['user', 'create', '--bogus', '--help'], {}, cwd);
    assert.equal(code, 0);
    assert.ok(stdout.startsWith('Usage: authly user create'));
  });

  test('--version prints the package version', async () => {
    const { code, stdout } = await authly(['--version']);
    assert.equal(code, 0);
    assert.match(stdout, /^authly \d+\.\d+\.\d+\n$/);
  });

  test('unknown commands are one line and exit 2', async () => {
    assertRefused(await authly(['nope']), 2, 'unknown command "nope" (see authly --help)');
    assertRefused(await authly(['user']), 2, /"authly user" needs a command/);
    assertRefused(await authly(['user', 'nope']), 2, /unknown command "user nope"/);
  });
});

describe('running authly from the repository', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));

  test('npx authly runs the command from the repository root', async () => {
    const { stdout } = await run('npx', ['--no-install', 'authly', '--version'], { cwd: root });
    const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    assert.equal(stdout, `authly ${version}\n`);
  });

  test('npm start is authly serve with the defaults (port 8000, ./data)', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    assert.equal(pkg.bin.authly, 'bin/authly.js');
    assert.equal(pkg.scripts.start, 'node bin/authly.js serve');
  });
});

describe('a database that cannot be reached', () => {
  test('PostgreSQL that is down: one line naming the server, exit 1', async () => {
    const env = { DATABASE_URL: 'postgres://authly:hunter2@127.0.0.1:1/authly' };
    const result = await authly(['user', 'list'], env);
    assertRefused(result, 1, /^authly: cannot reach PostgreSQL at 127\.0\.0\.1:1\/authly: /);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });

  test('a SQLite path that cannot be created: one line, exit 1', async () => {
    const cwd = tempDir('authly-cli-');
    await authly(['migrate'], {}, cwd);
    // ./data/authly.db now exists, so it cannot be a folder.
    const env = { DATABASE_URL: 'sqlite:./data/authly.db/nested.db' };
    assertRefused(await authly(['migrate'], env, cwd), 1, /^authly: cannot open SQLite database /);
  });
});

for (const engine of testEngines()) {
  describe(`authly commands (${engine})`, () => {
    let env: Record<string, string>;
    let databaseUrl: string;

    before(async () => {
      databaseUrl = await freshDatabaseUrl(engine);
      env = { DATABASE_URL: databaseUrl };
    });

    async function count(table: string): Promise<number> {
      const [row] = await select(databaseUrl, `SELECT count(*) AS n FROM ${table}`);
      return Number(row.n);
    }

    describe('migrate', () => {
      test('applies the migrations once, then finds nothing to do', async () => {
        const first = await authly(['migrate'], env);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout, 'Applied 1 migration:\n  001-initial\n');

        const again = await authly(['migrate'], env);
        assert.equal(again.stdout, 'Database is up to date.\n');
        const versions = await select(databaseUrl, 'SELECT version FROM schema_migrations');
        assert.deepEqual(versions.map((row) => row.version), ['001-initial']);
      });

      test('takes no options', async () => {
        assertRefused(await authly(['migrate', '--force'], env), 2, /unknown option --force/);
      });
    });

    describe('scope', () => {
      test('the built-in scopes exist from the start', async () => {
        const { code, stdout } = await authly(['scope', 'list', '--json'], env);
        assert.equal(code, 0);
        const builtIn = JSON.parse(stdout).filter((scope: { built_in: boolean }) => scope.built_in);
        assert.deepEqual(
          builtIn.map((scope: { name: string }) => scope.name),
          ['email', 'offline_access', 'openid', 'profile'],
        );
      });

      test('create adds a scope that list then shows', async () => {
        const args = ['scope', 'create', '--name', 'invoices:read', '--description', 'Read'];
        const created = await authly(args, env);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(created.stdout, 'Created scope invoices:read.\n');

        const { stdout } = await authly(['scope', 'list'], env);
        assert.match(stdout, /^NAME +BUILT_IN +DESCRIPTION\n/);
        assert.match(stdout, /\ninvoices:read +no +Read\n/);
        assert.match(stdout, /\nopenid +yes +Sign you in\n/);
      });

      test('refusals: missing or bad name, a duplicate; nothing stored', async () => {
        const before = await count('scopes');
        assertRefused(await authly(['scope', 'create'], env), 2, /missing --name/);
        assertRefused(
          await authly(['scope', 'create', '--name', 'a"b'], env),
          2,
          /--name: "a"b" is not a valid scope name/,
        );
        assertRefused(await authly(['scope', 'create', '--name', 'a b'], env), 2, /not a valid/);
        assertRefused(
          await authly(['scope', 'create', '--name', 'openid'], env),
          1,
          'scope "openid" already exists',
        );
        assert.equal(await count('scopes'), before);
      });
    });

    describe('user', () => {
      test('create stores an argon2id hash (OWASP parameters), never the password', async () => {
        const password = 'correct horse battery staple';
        const args = ['user', 'create', '--username', 'alice', '--password', password];
        const result = await authly(
          [...args, '--email', 'alice@example.com', '--name', 'Alice Liddell', '--admin'],
          env,
        );
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Created user alice \(id [0-9a-f-]{36}\)\n$/);

        const [row] = await select(databaseUrl, "SELECT * FROM users WHERE username = 'alice'");
        assert.equal(row.email, 'alice@example.com');
        assert.equal(row.name, 'Alice Liddell');
        assert.equal(Boolean(row.is_admin), true);
        assert.ok(String(row.password_hash).startsWith(ARGON2ID_PREFIX), String(row.password_hash));
        assert.ok(!(await storedText(databaseUrl)).includes(password));
      });

      test('create without the optional fields; --json answers the user', async () => {
        const args = ['user', 'create', '--username', 'bob', '--password', 'bob password'];
        const { code, stdout } = await authly([...args, '--json'], env);
        assert.equal(code, 0);
        const user = JSON.parse(stdout);
        assert.deepEqual(Object.keys(user).sort(), [
          'admin',
          'created_at',
          'email',
          'id',
          'name',
          'username',
        ]);
        assert.equal(user.username, 'bob');
        assert.equal(user.email, null);
        assert.equal(user.admin, false);
      });

      test('list shows the users and never a password hash', async () => {
        const table = await authly(['user', 'list'], env);
        assert.equal(table.code, 0);
        assert.match(table.stdout, /^ID +USERNAME +EMAIL +NAME +ADMIN +CREATED\n/);
        const alice = /\n[0-9a-f-]{36} +alice +alice@example\.com +Alice Liddell +yes /;
        assert.match(table.stdout, alice);
        assert.match(table.stdout, /\n[0-9a-f-]{36} +bob +- +- +no /);

        const json = JSON.parse((await authly(['user', 'list', '--json'], env)).stdout);
        assert.deepEqual(json.map((user: { username: string }) => user.username), ['alice', 'bob']);
        assert.doesNotMatch(JSON.stringify(json), /argon2|password/);
      });

      test('refusals: one line each, right exit code, nothing stored', async () => {
        const before = await count('users');
        const create = (...args: string[]) => authly(['user', 'create', ...args], env);
        const pw = ['--password', 'long enough'];

        assertRefused(await create(...pw), 2, 'missing --username (see authly user create --help)');
        assertRefused(await create('--username', 'carol'), 2, /missing --password/);
        assertRefused(
          await create('--username', 'carol', '--password', 'short'),
          2,
          '--password must be at least 8 characters',
        );
        assertRefused(await create('--username', 'c d', ...pw), 2, /--username must not contain/);
        assertRefused(await create('--username', '', ...pw), 2, '--username is empty');
        assertRefused(
          await create('--username', 'carol', ...pw, '--email', 'nope'),
          2,
          '--email "nope" is not an email address',
        );
        assertRefused(await create('--username', 'carol', ...pw, '--bogus'), 2, /unknown option/);
        assertRefused(
          await create('--username', 'carol', '--username', 'dave', ...pw),
          2,
          'option --username is given twice',
        );
        assertRefused(await create('--username'), 2, /option --username needs a value/);
        assertRefused(await create('--username', 'alice', ...pw), 1, /user named "alice" already/);
        assertRefused(
          await create('--username', 'carol', ...pw, '--email', 'alice@example.com'),
          1,
          'a user with email alice@example.com already exists',
        );
        assert.equal(await count('users'), before);
      });
    });

    describe('client', () => {
      const redirect = ['--redirect-uri', 'https://app.example.com/callback'];

      test('create: the defaults; the secret shown once, stored as its SHA-256', async () => {
        const result = await authly(['client', 'create', '--name', 'Example', ...redirect], env);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trimEnd().split('\n');
        assert.equal(lines[0], 'Created confidential client "Example".');
        const clientId = /^client_id: +(\S+)$/.exec(lines[1])?.[1];
        const secret = /^client_secret: +(\S+)$/.exec(lines[2])?.[1];
        assert.ok(clientId && secret, result.stdout);
        assert.match(lines[3], /stores only its hash and cannot show it again/);

        // 256 random bits, base64url.
        assert.equal(Buffer.from(secret, 'base64url').length, 32);
        const [row] = await select(
          databaseUrl,
          `SELECT * FROM clients WHERE client_id = '${clientId}'`,
        );
        assert.equal(row.secret_hash, sha256(secret));
        assert.equal(row.auth_method, 'client_secret_basic');
        assert.equal(Boolean(row.is_public), false);
        assert.deepEqual(list(row.grant_types), ['authorization_code', 'refresh_token']);
        assert.deepEqual(list(row.redirect_uris), ['https://app.example.com/callback']);
        assert.deepEqual(list(row.scopes), ['openid', 'profile', 'email', 'offline_access']);
        assert.ok(!(await storedText(databaseUrl)).includes(secret));

        // Never shown again.
        const listed = await authly(['client', 'list', '--json'], env);
        assert.ok(!listed.stdout.includes(secret));
      });

      test('create --json prints one object with client_id and client_secret', async () => {
        const args = ['client', 'create', '--name', 'Scripted', ...redirect, '--json'];
        const { code, stdout } = await authly(args, env);
        assert.equal(code, 0);
        const client = JSON.parse(stdout);
        assert.equal(typeof client.client_id, 'string');
        assert.equal(Buffer.from(client.client_secret, 'base64url').length, 32);
        assert.equal(client.token_endpoint_auth_method, 'client_secret_basic');
        assert.deepEqual(client.grant_types, ['authorization_code', 'refresh_token']);
      });

      test('create --public: auth method none, no secret printed or stored', async () => {
        const args = ['client', 'create', '--name', 'Mobile', '--public'];
        const uri = ['--redirect-uri', 'com.example.app:/cb'];
        uri.push('--redirect-uri', 'http://127.0.0.1/cb');
        const { code, stdout } = await authly([...args, ...uri, '--json'], env);
        assert.equal(code, 0);
        const client = JSON.parse(stdout);
        assert.equal(client.client_secret, undefined);
        assert.equal(client.token_endpoint_auth_method, 'none');
        assert.equal(client.public, true);
        assert.deepEqual(client.redirect_uris, ['com.example.app:/cb', 'http://127.0.0.1/cb']);
        const [row] = await select(
          databaseUrl,
          `SELECT * FROM clients WHERE client_id = '${client.client_id}'`,
        );
        assert.equal(row.secret_hash, null);

        const again = ['client', 'create', '--name', 'Mobile 2', '--public', ...uri];
        const text = await authly(again, env);
        assert.doesNotMatch(text.stdout, /client_secret/);
        assert.match(text.stdout, /^Created public client "Mobile 2"\.\nclient_id: +\S+\n/);
      });

      test('create with --auth-method, --grant-types and --scope', async () => {
        const args = ['client', 'create', '--name', 'Billing'];
        args.push('--grant-types', 'client_credentials');
        const { stdout } = await authly(
          [...args, '--scope', 'invoices:read', '--auth-method', 'client_secret_post', '--json'],
          env,
        );
        const client = JSON.parse(stdout);
        assert.equal(client.token_endpoint_auth_method, 'client_secret_post');
        assert.deepEqual(client.grant_types, ['client_credentials']);
        assert.equal(client.scope, 'invoices:read');
        assert.deepEqual(client.redirect_uris, []);
        assert.ok(client.client_secret);
      });

      test('the printed secret authenticates the client at the token endpoint', async () => {
        const args = ['client', 'create', '--name', 'Job', '--grant-types', 'client_credentials'];
        const { client_id, client_secret } = JSON.parse(
          (await authly([...args, '--scope', '', '--json'], env)).stdout,
        );
        const config = loadConfig({ DATABASE_URL: databaseUrl });
        const app: App = await createApp(config, { logger: createLogger('silent') });
        try {
          const token = async (secret: string) =>
            app.server.inject({
              method: 'POST',
              url: '/token',
              headers: {
                authorization: `Basic ${Buffer.from(`${client_id}:${secret}`).toString('base64')}`,
                'content-type': 'application/x-www-form-urlencoded',
              },
              payload: 'grant_type=client_credentials',
            });
          const accepted = await token(client_secret);
          assert.equal(accepted.statusCode, 200, accepted.body);
          assert.equal(accepted.json().token_type, 'Bearer');
          assert.equal((await token(`${client_secret}x`)).statusCode, 401);
        } finally {
          await app.close();
        }
      });

      test('list shows every client with its settings', async () => {
        const { code, stdout } = await authly(['client', 'list'], env);
        assert.equal(code, 0);
        const header = /^CLIENT_ID +NAME +TYPE +AUTH_METHOD +GRANT_TYPES +SCOPE +REDIRECT_URIS /;
        assert.match(stdout, header);
        const grants = 'authorization_code,refresh_token';
        assert.match(stdout, new RegExp(` Example +confidential +client_secret_basic +${grants} `));
        assert.match(stdout, / Mobile +public +none /);
        assert.match(stdout, / Billing +confidential +client_secret_post +client_credentials /);
        const json = JSON.parse((await authly(['client', 'list', '--json'], env)).stdout);
        assert.equal(json.length, await count('clients'));
        assert.doesNotMatch(JSON.stringify(json), /secret_hash|client_secret"/);
      });

      test('refusals: one line each, exit 2, nothing stored', async () => {
        const before = await count('clients');
        const create = (...args: string[]) => authly(['client', 'create', ...args], env);
        const named = ['--name', 'X', ...redirect];
        const cases: [string[], RegExp | string][] = [
          [redirect, 'missing --name (see authly client create --help)'],
          [['--name', 'X'], 'the authorization_code grant needs at least one --redirect-uri'],
          [[...named, '--grant-types', 'implicit'], /unknown grant type "implicit"/],
          [[...named, '--auth-method', 'private_key_jwt'], /unknown --auth-method/],
          [
            [...named, '--public', '--auth-method', 'client_secret_basic'],
            /--public cannot go with --auth-method client_secret_basic/,
          ],
          [[...named, '--scope', 'openid nosuch'], /unknown scope in --scope: nosuch/],
          [['--name', 'X', '--redirect-uri', 'https://a.example/cb#x'], /has a fragment/],
          [['--name', 'X', '--redirect-uri', '/callback'], /is not an absolute URI/],
          [['--name', 'X', '--redirect-uri', 'javascript:alert(1)'], /scheme, which is unsafe/],
          [
            ['--name', 'X', '--grant-types', 'client_credentials', '--public'],
            /client_credentials grant needs a confidential client/,
          ],
          [['--name', 'X', '--grant-types', 'refresh_token'], /refresh_token needs authorization/],
          [[...named, '--json=yes'], /option --json takes no value/],
        ];
        for (const [args, message] of cases) assertRefused(await create(...args), 2, message);
        assert.equal(await count('clients'), before);
      });

      test('delete removes the client; unknown or missing ids are refused', async () => {
        const args = ['client', 'create', '--name', 'Doomed', ...redirect, '--json'];
        const { client_id } = JSON.parse((await authly(args, env)).stdout);

        const deleted = await authly(['client', 'delete', client_id], env);
        assert.equal(deleted.code, 0, deleted.stderr);
        assert.equal(deleted.stdout, `Deleted client ${client_id}.\n`);
        const query = `SELECT 1 FROM clients WHERE client_id = '${client_id}'`;
        assert.equal((await select(databaseUrl, query)).length, 0);

        assertRefused(
          await authly(['client', 'delete', '--client-id', client_id], env),
          1,
          `no client with client_id "${client_id}"`,
        );
        assertRefused(await authly(['client', 'delete'], env), 2, /missing client_id/);
        assertRefused(await authly(['client', 'delete', 'a', 'b'], env), 2, /give one client_id/);
      });
    });

    describe('keys', () => {
      test('list before any key exists, then after rotate', async () => {
        const fresh = { DATABASE_URL: await freshDatabaseUrl(engine) };
        const empty = await authly(['keys', 'list'], fresh);
        assert.equal(empty.code, 0);
        assert.match(empty.stdout, /^No signing keys yet/);

        const rotated = await authly(['keys', 'rotate'], fresh);
        assert.equal(rotated.code, 0, rotated.stderr);
        assert.match(rotated.stdout, /\n {2}ES256 {2}\S+\n {2}RS256 {2}\S+\n/);

        const table = await authly(['keys', 'list'], fresh);
        assert.match(table.stdout, /^KID +ALG +STATUS +CREATED +RETIRED +LEAVES_JWKS\n/);
        const keys = JSON.parse((await authly(['keys', 'list', '--json'], fresh)).stdout);
        // The first keys (created on first use) and the pair that replaced them.
        assert.deepEqual(
          keys.map((key: { alg: string; status: string }) => `${key.alg} ${key.status}`).sort(),
          ['ES256 active', 'ES256 published', 'RS256 active', 'RS256 published'],
        );
        assert.doesNotMatch(JSON.stringify(keys), /PRIVATE KEY|"d"/);
        assertRefused(await authly(['keys', 'rotate', 'now'], fresh), 2, /unexpected argument/);
      });
    });
  });
}
