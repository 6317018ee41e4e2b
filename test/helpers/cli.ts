/**
 * The real `authly` command for suites: bin/authly.js run in a child process with only the
 * environment given, and what it stored read back over a connection of the test's own.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { tempDir } from './engines.js';

const BIN = fileURLToPath(new URL('../../../bin/authly.js', import.meta.url));
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `authly <args>` with `env` (plus PATH) in `cwd` (a fresh folder by default). */
export async function authly(
  args: string[],
  env: Record<string, string> = {},
  cwd: string = tempDir('authly-cli-'),
): Promise<CliResult> {
  const options = { cwd, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], options);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/**
 * Asserts a refusal: exit code `code`, nothing on stdout, and exactly one line on stderr of the
 * form `authly: <message>` matching `message`, with no stack trace.
 */
export function assertRefused(result: CliResult, code: number, message: RegExp | string): void {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.ok(lines[0].startsWith('authly: '), lines[0]);
  if (typeof message === 'string') assert.equal(lines[0], `authly: ${message}`);
  else assert.match(lines[0], message);
  assert.doesNotMatch(result.stderr, /\n\s+at |\.js:\d+/);
}

/** Runs one SELECT (no parameters) on the database at `databaseUrl` and answers its rows. */
export async function select(
  databaseUrl: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(query).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe(query))];
  } finally {
    await sql.end();
  }
}
