/**
 * The `authly` command: finds the command or group named by the first arguments, answers
 * `--help` and `--version`, runs the command, and turns every failure into one line on stderr
 * and an exit code (see ./command.ts), never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config.js';
import { benchCommand } from './bench.js';
import { clientGroup } from './client.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  isCommand,
  UsageError,
  type Command,
  type CommandGroup,
} from './command.js';
import { keysGroup } from './keys.js';
import { migrateCommand } from './migrate.js';
import { print } from './output.js';
import { scopeGroup } from './scope.js';
import { serveCommand } from './serve.js';
import { userGroup } from './user.js';

/** Every command, in the order `authly --help` lists them. */
export const COMMANDS: Record<string, Command | CommandGroup> = {
  serve: serveCommand,
  migrate: migrateCommand,
  user: userGroup,
  client: clientGroup,
  scope: scopeGroup,
  keys: keysGroup,
  bench: benchCommand,
};

/**
 * Failures whose message is written for the person at the terminal: printed as they are, exit 1.
 * Anything else is a defect and is reported as an unexpected error.
 */
const KNOWN_FAILURES = new Set([
  'ERR_CLI_FAILED',
  'ERR_STORE_UNAVAILABLE',
  'ERR_STORE_CONFLICT',
  'ERR_KEY_DECRYPT',
  'ERR_SERVE_FAILED',
]);

/** Runs `authly <argv…>` and answers the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    return report(error);
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${overview()}\n`);
    return EXIT_USAGE;
  }
  if (isHelpFlag(name)) return printHelp(overview());
  if (name === 'help') return dispatch([...rest, '--help']);
  if (name === '--version' || name === '-V') {
    print(`authly ${version()}`);
    return EXIT_OK;
  }

  const entry = COMMANDS[name];
  if (entry === undefined) throw new UsageError(`unknown command "${name}" (see authly --help)`);
  if (isCommand(entry)) return runCommand(entry, rest);

  const [subName, ...subRest] = rest;
  if (subName === undefined) {
    throw new UsageError(`"authly ${name}" needs a command (see authly ${name} --help)`);
  }
  if (isHelpFlag(subName)) return printHelp(groupHelp(name, entry));
  const command = Object.hasOwn(entry.subcommands, subName) ? entry.subcommands[subName] : null;
  if (command === null) {
    throw new UsageError(`unknown command "${name} ${subName}" (see authly ${name} --help)`);
  }
  return runCommand(command, subRest);
}

function runCommand(command: Command, args: string[]): Promise<number> {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  if (!command.handlesHelp && options.some(isHelpFlag)) {
    return Promise.resolve(printHelp(command.help));
  }
  return command.run(args);
}

function isHelpFlag(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

function printHelp(text: string): number {
  print(text);
  return EXIT_OK;
}

/** The help of `authly` itself: every command with its summary. */
function overview(): string {
  const lines: [string, string][] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (isCommand(entry)) {
      lines.push([name, entry.summary]);
      continue;
    }
    for (const [subName, command] of Object.entries(entry.subcommands)) {
      lines.push([`${name} ${subName}`, command.summary]);
    }
  }
  return `Usage: authly <command> [options]

Authly, an OAuth 2.1 and OpenID Connect authorization server.

Commands:
${columns(lines)}

Options:
  -h, --help       Show help (also after any command: authly client create --help)
  -V, --version    Show the version

Every command reads its settings from the environment; DATABASE_URL chooses the database
(default sqlite:./data/authly.db). Exit codes: 0 done, 1 failed, 2 wrong usage.

Example:
  authly user create --username alice --password 'correct horse battery' --email a@example.com`;
}

function groupHelp(name: string, group: CommandGroup): string {
  const lines = Object.entries(group.subcommands).map(
    ([subName, command]) => [subName, command.summary] as [string, string],
  );
  return `Usage: authly ${name} <command> [options]

${group.summary}.

Commands:
${columns(lines)}

Run "authly ${name} <command> --help" for the options of each.

Example:
${group.example}`;
}

function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`).join('\n');
}

/** The version in package.json (three folders up from dist/src/cli/). */
function version(): string {
  const file = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Prints one line for `error` and answers its exit code. */
function report(error: unknown): number {
  if (error instanceof UsageError) return fail(error.message, EXIT_USAGE);
  // A bad --port is a usage mistake; a bad variable in the environment is a failed start.
  if (error instanceof ConfigError) {
    return fail(error.message, error.variable.startsWith('--') ? EXIT_USAGE : EXIT_FAILURE);
  }

  const { code, message, stack } = (error ?? {}) as {
    code?: string;
    message?: string;
    stack?: string;
  };
  if (code !== undefined && KNOWN_FAILURES.has(code)) return fail(message ?? code, EXIT_FAILURE);

  // A defect: still one line, with the stack only when asked for through the log level.
  if (/^(debug|trace)$/.test(process.env.AUTHLY_LOG_LEVEL ?? '') && stack) {
    process.stderr.write(`${stack}\n`);
  }
  return fail(`unexpected error: ${message ?? String(error)}`, EXIT_FAILURE);
}

function fail(message: string, exitCode: number): number {
  const line = message.split('\n')[0].trim();
  process.stderr.write(`authly: ${line}\n`);
  return exitCode;
}
