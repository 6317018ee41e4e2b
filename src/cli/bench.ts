/**
 * `authly bench`: hands its arguments to the benchmark (bench/cli.ts, compiled to
 * dist/bench/cli.js), which has its own options and help. The benchmark is loaded only here, so
 * that its development-only dependencies never load with the server.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommandFailed, EXIT_OK, type Command } from './command.js';
import { print } from './output.js';

/** dist/src/cli/bench.js → dist/bench/cli.js. */
const BENCH_MODULE = new URL('../../bench/cli.js', import.meta.url);

interface BenchModule {
  runBench(args: string[]): Promise<number>;
}

const help = `Usage: authly bench [options]

Runs the benchmark: starts Authly, seeds it, loads each endpoint at several connection counts
and reports requests per second and latency beside the baselines. Its options are listed by
"authly bench --help" once the benchmark is built (npm run build).

Example:
  authly bench --quick`;

export const benchCommand: Command = {
  summary: 'Measure the endpoints under load (see bench/)',
  help,
  // The benchmark documents its own options.
  handlesHelp: true,

  async run(args) {
    if (!existsSync(fileURLToPath(BENCH_MODULE))) {
      if (args.includes('--help') || args.includes('-h')) {
        print(help);
        return EXIT_OK;
      }
      throw new CommandFailed(
        'the benchmark is not built: dist/bench/cli.js is missing (run npm run build)',
      );
    }
    const bench = (await import(BENCH_MODULE.href)) as BenchModule;
    return bench.runBench(args);
  },
};
