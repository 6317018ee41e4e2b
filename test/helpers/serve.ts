/** `authly serve` as a user starts it: the compiled CLI in a child process of its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled command-line entry point. */
export const BIN = fileURLToPath(new URL('../../../bin/authly.js', import.meta.url));

export interface Served {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr together. */
  output: () => string;
}

/**
 * Starts `authly serve --port <port>` in `cwd` with only PATH, HOME and `env` set; resolves once
 * the process logs that it listens.
 */
export async function startServe(
  cwd: string,
  port: number,
  env: NodeJS.ProcessEnv = {},
): Promise<Served> {
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const args = [BIN, 'serve', '--port', String(port)];
  const child = spawn(process.execPath, args, { cwd, env: fullEnv });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('"authly listening"')) resolve();
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, output: () => output };
}
