/** Starts and stops the Authly server of a benchmark run, in a process of its own. */
import { freePort, startChild, type Child } from '../processes.js';

/** How the server under test is configured. */
export interface AuthlyOptions {
  databaseUrl: string;
  workers: number;
  logLevel: string;
  /** Write V8 CPU profiles of every Authly process into this folder (node --cpu-prof). */
  cpuProfileDir?: string;
}

/** A running Authly. */
export interface AuthlyServer {
  /** The issuer, also the base URL: http://127.0.0.1:<port>. */
  url: string;
  stop(): Promise<void>;
}

/** Starts Authly on a free loopback port and answers once every worker listens. */
export async function startAuthly(options: AuthlyOptions): Promise<AuthlyServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: Child = await startChild(new URL('./authly-entry.js', import.meta.url), {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      AUTHLY_ISSUER: url,
      AUTHLY_PORT: String(port),
      AUTHLY_HOST: '127.0.0.1',
      AUTHLY_WORKERS: String(options.workers),
      AUTHLY_LOG_LEVEL: options.logLevel,
    },
    showErrors: true,
    execArgv: options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [],
  });
  return { url, stop: () => child.stop() };
}
