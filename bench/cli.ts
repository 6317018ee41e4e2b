/**
 * The benchmark's entry point: `runBench(args)` for `authly bench`, and the same when this file
 * is run directly (`node dist/bench/cli.js`, which `npm run bench` does). Tables go to stdout,
 * progress to stderr, results to bench/results/. Exit codes: 0 when every endpoint was measured,
 * 1 when one could not be (its probe failed) or the run broke, 2 for a usage mistake.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultHashConcurrency } from '../src/config/config.js';
import { runGrowth } from './growth.js';
import { BenchUsageError, HELP, parseBenchArgs, type BenchOptions } from './options.js';
import { ProgressBar } from './progress.js';
import { markdownTables } from './report/tables.js';
import { writeResults } from './report/write.js';
import type { BenchResults, RunInfo } from './results.js';
import { runSuite } from './suite.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

/** The commit measured, marked `-dirty` when the tree has changes. */
function commit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPOSITORY, encoding: 'utf8', stdio: 'pipe' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

function hashConcurrency(workers: number): string {
  return process.env.AUTHLY_PASSWORD_HASH_CONCURRENCY || String(defaultHashConcurrency(workers));
}

function runInfo(options: BenchOptions, args: string[]): Omit<RunInfo, 'engine' | 'durability'> {
  const cores = availableParallelism();
  return {
    date: new Date().toISOString(),
    commit: commit(),
    command: ['authly bench', ...args].join(' '),
    machine: {
      cpus: cores,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    workers: options.workers,
    quick: options.quick,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    logLevel: options.logLevel,
    notes: [
      `The load generator (autocannon, one process) runs on the same ${cores} cores as the ` +
        'servers it loads, so every figure is below what the servers alone would reach; only ' +
        'ratios measured in the same run compare.',
      'Latency is each response’s own time as the load generator saw it (mean and nearest-rank ' +
        'percentiles over every response); requests/s counts successful responses only.',
      ...(options.baselines
        ? [
            `Bare node:http runs with as many processes as Authly (${options.workers}); ` +
              'oidc-provider runs in one process with its state in an unbounded in-memory Map.',
          ]
        : []),
      `Authly logs at ${options.logLevel} (one line per request at info) to /dev/null.`,
      'Every code exchange signs an RS256 ID token; a refresh ' +
        (process.env.AUTHLY_REFRESH_ID_TOKEN?.trim().toLowerCase() === 'true'
          ? 'signs one too (AUTHLY_REFRESH_ID_TOKEN=true).'
          : 'answers none (AUTHLY_REFRESH_ID_TOKEN=false, the default).'),
      'A password grant asks for openid and so also signs one; each Authly process computes ' +
        `at most ${hashConcurrency(options.workers)} password hash(es) at once ` +
        '(AUTHLY_PASSWORD_HASH_CONCURRENCY).',
    ],
  };
}

/** Runs the benchmark with command-line `args`; answers the exit code. */
export async function runBench(args: string[]): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseBenchArgs(args);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`authly bench: ${error.message} (see authly bench --help)\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }

  const progress = new ProgressBar();
  try {
    const info = runInfo(options, args);
    const suite = await runSuite(options, progress);
    const growth = options.growth ? await runGrowth(options, progress) : null;
    const results: BenchResults = {
      schema: 1,
      ...info,
      engine: suite.engine,
      durability: suite.durability,
      endpoints: suite.endpoints,
      password: suite.password,
      growth,
    };

    process.stdout.write(markdownTables(results));
    const written = writeResults(results, options.out);
    progress.note(
      `results: ${written.json}\nreport:  ${written.html}\ncharts:  ${written.svg.join(', ')}`,
    );

    const unmeasured = results.endpoints.filter((e) => Object.keys(e.problems).length > 0);
    for (const e of unmeasured) {
      const why = Object.entries(e.problems).map(([target, problem]) => `${target}: ${problem}`);
      progress.note(`not measured: ${e.name} (${why.join('; ')})`);
    }
    return unmeasured.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`authly bench: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runBench(process.argv.slice(2));
}
