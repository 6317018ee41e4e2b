/**
 * `authly serve`: the configuration from the environment, with --port, --host and --workers
 * taking precedence, then the server until a signal stops it.
 */
import { loadConfig } from '../config/config.js';
import { serve } from '../serve.js';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'Start the authorization server',
  help: `Usage: authly serve [--port <n>] [--host <address>] [--workers <n>]

Starts the authorization server and runs until it receives SIGINT (Ctrl-C) or SIGTERM, then
stops taking connections, finishes the requests in flight (for up to 10 seconds) and exits with
code 0. Pending database migrations are applied first, and the first signing keys are created
when the database has none. With more than one worker, a primary process does that once, then
starts the workers; a worker that dies while serving is replaced, and one that cannot start
stops them all (exit code 1).

Options:
  --port <n>          TCP port to listen on (default: AUTHLY_PORT, else 8000)
  --host <address>    Address to listen on (default: AUTHLY_HOST, else 0.0.0.0)
  --workers <n>       Server processes sharing the port (default: AUTHLY_WORKERS, else 1)
  -h, --help          Show this help

Every other setting comes from the environment: DATABASE_URL (default sqlite:./data/authly.db),
AUTHLY_ISSUER, token lifetimes and the rest (see Configuration in README.md).

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
    return serve(loadConfig(process.env, values));
  },
};
