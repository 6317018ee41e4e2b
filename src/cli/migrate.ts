/** `authly migrate`: applies pending migrations and says which, or that there were none. */
import { parseCommandArgs } from './args.js';
import { EXIT_OK, type Command } from './command.js';
import { print } from './output.js';
import { withStore } from './store.js';

export const migrateCommand: Command = {
  summary: 'Apply pending database migrations',
  help: `Usage: authly migrate

Applies the database migrations that have not been applied yet, in order, and prints their
names, or "Database is up to date." when there are none. Safe to run while servers are running
and from several processes at once. The database is DATABASE_URL (default
sqlite:./data/authly.db). "authly serve" and the other commands also apply pending migrations
before they start; run this to do it as a separate deployment step.

Options:
  -h, --help    Show this help

Example:
  DATABASE_URL=postgres://authly@db.internal/authly authly migrate`,

  async run(args) {
    parseCommandArgs('migrate', { args, options: {} });
    const { applied } = await withStore((store) => store.migrate(), { migrate: false });

    if (applied.length === 0) {
      print('Database is up to date.');
    } else {
      print(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:`);
      for (const name of applied) print(`  ${name}`);
    }
    return EXIT_OK;
  },
};
