/**
 * `authly serve`: the configuration from the environment, with --port, --host and --workers
 * taking precedence, then the server until a signal stops it.
 */
import { loadConfig } from '../config/config.js';
import { serve } from '../serve.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK, UsageError, type Command } from './command.js';

export const serveCommand: Command = {
  summary: 'Start the authorization server',
  help: `Usage: authly serve [--port <n>] [--host <address>] [--workers <n>]

Starts the authorization server and runs until it receives SIGINT (Ctrl-C) or SIGTERM, then
finishes the requests in flight and exits with code 0. Pending database migrations are applied
first, and the first signing keys are created when the database has none.

Options:
  --port <n>          TCP port to listen on (default: AUTHLY_PORT, else 8000)
  --host <address>    Address to listen on (default: AUTHLY_HOST, else 0.0.0.0)
  --workers <n>       Server processes sharing the port (default: AUTHLY_WORKERS, else 1)
  -h, --help          Show this help

Every other setting comes from the environment: DATABASE_URL (default sqlite:./data/authly.db),
AUTHLY_ISSUER, token lifetimes and the rest (see docs/cli.md).

Example:
  AUTHLY_ISSUER=https://id.example.com authly serve --port 8080 --workers 4`,

  async run(args) {
    const { values } = parseCommandArgs('serve', {
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        workers: { type: 'string' },
      },
    });
    if (values.host !== undefined && values.host.trim() === '') {
      throw new UsageError('--host is empty');
    }

    const config = loadConfig(process.env, values);
    const stopped = untilStopped();
    await serve(config);
    return stopped;
  },
};

/**
 * Answers once the process is told to stop. serve() closes the server on the same signals; the
 * open server (or the cluster's workers) keeps the process alive until then.
 */
function untilStopped(): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => resolve(EXIT_OK);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
