/**
 * The benchmark's own child processes (servers, baselines, the load generator): started with an
 * IPC channel, ready when they say so, stopped by pid with SIGTERM and, if that is not enough,
 * SIGKILL. Their output goes to /dev/null unless asked for, so that logging costs the server what
 * formatting the lines costs and nothing more.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** How long a child may take to say it is ready. */
const READY_TIMEOUT_MS = 60_000;
/** How long a child may take to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** A running child with its IPC channel. */
export interface Child {
  process: ChildProcess;
  /** Sends a message over IPC. */
  send(message: unknown): void;
  /** Answers the next message of `type`; rejects if the child exits first. */
  next<T extends { type: string }>(type: string, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

/** Options for startChild. */
export interface ChildOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Show the child's stderr (for a child whose errors matter to the person running). */
  showErrors?: boolean;
  /** Node.js options for the child (and, through node:cluster, its workers). */
  execArgv?: string[];
}

/** Forks the compiled module `entry` and waits for its `{ type: 'ready' }` message. */
export async function startChild(entry: URL, options: ChildOptions = {}): Promise<Child> {
  const child = fork(entry, options.args ?? [], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', options.showErrors ? 'inherit' : 'ignore', 'ipc'],
    serialization: 'advanced',
    execArgv: options.execArgv ?? process.execArgv,
  });
  const handle = wrap(child);
  try {
    await handle.next('ready', READY_TIMEOUT_MS);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

function wrap(child: ChildProcess): Child {
  const exited = once(child, 'exit');

  return {
    process: child,

    send(message) {
      child.send(message as never);
    },

    next<T extends { type: string }>(type: string, timeoutMs = 0): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (message: { type?: string }) => {
          if (message?.type !== type) return;
          cleanup();
          resolve(message as T);
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          const how = signal ?? `code ${code}`;
          reject(new Error(`${describe(child)} exited (${how}) before "${type}"`));
        };
        const timer =
          timeoutMs > 0
            ? setTimeout(() => {
                cleanup();
                reject(new Error(`${describe(child)} did not answer "${type}" in ${timeoutMs} ms`));
              }, timeoutMs)
            : undefined;
        const cleanup = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
      });
    },

    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function describe(child: ChildProcess): string {
  const entry = child.spawnargs.find((arg) => arg.endsWith('.js')) ?? 'child';
  return `${entry.split('/').slice(-2).join('/')} (pid ${child.pid})`;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that must know it ahead). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
