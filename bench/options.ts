/**
 * The benchmark's command line (`npm run bench -- …`, `authly bench …`), parsed with node:util in
 * strict mode. A mistake is a BenchUsageError: one line, exit code 2.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ENDPOINT_NAMES, type EndpointName } from './endpoints.js';

/** Everything a run is configured by. */
export interface BenchOptions {
  connections: number[];
  /** Seconds per measurement. */
  duration: number;
  /** Seconds of unrecorded load before an endpoint's first measurement. */
  warmup: number;
  endpoints: EndpointName[];
  workers: number;
  baselines: boolean;
  growth: boolean;
  /** Connections for the growth measurements. */
  growthConnections: number;
  /** Stored tokens of each kind at the small and the large end of the growth check. */
  growthRows: [number, number];
  quick: boolean;
  /** Folder for the JSON and HTML results. */
  out: string;
  logLevel: string;
  /** Folder for V8 CPU profiles of the Authly processes, or null. */
  cpuProfileDir: string | null;
  /** DATABASE_URL: PostgreSQL when it names a server, else SQLite in a temporary folder. */
  databaseUrl: string | null;
}

/** A mistake on the command line. */
export class BenchUsageError extends Error {}

const FULL = { connections: [1, 10, 50, 100, 200], duration: 10, warmup: 2 };
const QUICK = { connections: [1, 10, 50], duration: 2, warmup: 0.5 };

/** The help text of `authly bench --help`. */
export const HELP = `Usage: authly bench [options]   (or: npm run bench -- [options])

Starts Authly in a process of its own (SQLite in a temporary folder, or a fresh database on the
PostgreSQL server of DATABASE_URL), seeds it, and loads each endpoint from a separate
load-generator process (autocannon) at each connection count. Bare node:http and oidc-provider
run beside it as baselines. Prints Markdown tables on stdout and writes
<out>/<date>-<engine>.json and .html (throughput and p95 charts).

Options:
  --connections <list>   Connection counts (default 1,10,50,100,200; --quick 1,10,50)
  --duration <s>         Seconds per measurement (default 10; --quick 2)
  --warmup <s>           Unrecorded seconds before each endpoint (default 2; --quick 0.5)
  --endpoints <list>     Only these (default all): ${ENDPOINT_NAMES.join(', ')}
  --workers <n>          Authly processes (node:cluster), passed to the server (default 1)
  --no-baselines         Leave out bare node:http and oidc-provider
  --growth               Also compare token-endpoint p95 at 10^4 and 10^6 stored tokens
  --growth-connections <n>  Connections for the growth check (default 50)
  --growth-rows <a,b>    Stored rows per kind at each end (default 10000,1000000)
  --quick                Short run for smoke tests (the defaults marked --quick)
  --out <dir>            Where results go (default bench/results)
  --log-level <level>    Authly's AUTHLY_LOG_LEVEL (default info, as deployed; logs go nowhere)
  --cpu-prof <dir>       Write a V8 CPU profile of each Authly process there (for flame graphs)
  -h, --help             Show this help

Examples:
  npm run bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- --workers 2
  authly bench --quick --endpoints discovery,client_credentials`;

function positiveList(name: string, raw: string): number[] {
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new BenchUsageError(`--${name} expects whole numbers ≥ 1 separated by commas`);
  }
  return values;
}

function positive(name: string, raw: string, integer = false): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new BenchUsageError(`--${name} expects a ${integer ? 'whole ' : ''}number > 0`);
  }
  return value;
}

function endpointList(raw: string): EndpointName[] {
  const names = raw.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!ENDPOINT_NAMES.includes(name as EndpointName)) {
      throw new BenchUsageError(`unknown endpoint "${name}" (known: ${ENDPOINT_NAMES.join(', ')})`);
    }
  }
  return names as EndpointName[];
}

/** Parses the arguments; answers null when help was asked for. */
export function parseBenchArgs(args: string[], env = process.env): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        connections: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        endpoints: { type: 'string' },
        workers: { type: 'string' },
        'no-baselines': { type: 'boolean' },
        growth: { type: 'boolean' },
        'growth-connections': { type: 'string' },
        'growth-rows': { type: 'string' },
        quick: { type: 'boolean' },
        out: { type: 'string' },
        'log-level': { type: 'string' },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) return null;

  const defaults = values.quick ? QUICK : FULL;
  const rows = values['growth-rows'] ? positiveList('growth-rows', values['growth-rows']) : [];
  if (rows.length !== 0 && (rows.length !== 2 || rows[0] >= rows[1])) {
    throw new BenchUsageError('--growth-rows expects two counts, the smaller first');
  }
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new BenchUsageError('DATABASE_URL must be a postgres:// URL (SQLite needs none)');
  }

  return {
    connections: values.connections
      ? positiveList('connections', values.connections)
      : defaults.connections,
    duration: values.duration ? positive('duration', values.duration) : defaults.duration,
    warmup: values.warmup !== undefined ? Number(values.warmup) || 0 : defaults.warmup,
    endpoints: values.endpoints ? endpointList(values.endpoints) : [...ENDPOINT_NAMES],
    workers: values.workers ? positive('workers', values.workers, true) : 1,
    baselines: !values['no-baselines'],
    growth: values.growth ?? false,
    growthConnections: values['growth-connections']
      ? positive('growth-connections', values['growth-connections'], true)
      : 50,
    growthRows: rows.length === 2 ? [rows[0], rows[1]] : [10_000, 1_000_000],
    quick: values.quick ?? false,
    out: values.out ?? 'bench/results',
    logLevel: values['log-level'] ?? 'info',
    cpuProfileDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : null,
    databaseUrl,
  };
}
