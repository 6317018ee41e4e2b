/**
 * The shape of a benchmark's results, as saved in bench/results/<date>-<engine>.json and read by
 * the tables and the HTML report. `schema` changes when a field changes meaning.
 */
import type { Argon2Capacity } from './argon2-capacity.js';
import type { EndpointName, Target } from './endpoints.js';
import type { LoadResult } from './load/job.js';
import type { StoredRows } from './seed/bulk.js';

/** One endpoint on every server that serves it. */
export interface EndpointResult {
  name: EndpointName;
  label: string;
  /** One result per connection count, per server; empty when it could not be measured. */
  runs: Partial<Record<Target, LoadResult[]>>;
  /** Why a server's probe failed (then it was not loaded). */
  problems: Partial<Record<Target, string>>;
  /** Authly's requests/s over the baseline's, per connection count. */
  ratios: Partial<Record<Target, (number | null)[]>>;
}

/** The password grant beside what the hash allows. */
export interface PasswordResult {
  argon2: Argon2Capacity;
  /** Password grants/s over argon2id verifications/s, per connection count. */
  ratioToArgon2: (number | null)[];
  /** Discovery, at a fixed low rate, while each password load ran. */
  discoveryBeside: LoadResult[];
  besideRatePerSecond: number;
}

/** One token endpoint at the small and the large end of the growth check. */
export interface GrowthEndpoint {
  name: EndpointName;
  small: LoadResult | null;
  large: LoadResult | null;
  /** (large p95 − small p95) / small p95. */
  p95Change: number | null;
  problem?: string;
}

/** p95 of the token endpoints with few and with many stored tokens. */
export interface GrowthResult {
  connections: number;
  rows: { small: StoredRows; large: StoredRows };
  endpoints: GrowthEndpoint[];
}

/** Where and how the run was made. */
export interface RunInfo {
  date: string;
  commit: string;
  command: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
  };
  engine: 'sqlite' | 'postgres';
  durability: string;
  workers: number;
  quick: boolean;
  connections: number[];
  durationSeconds: number;
  warmupSeconds: number;
  logLevel: string;
  notes: string[];
}

/** Everything one run produced. */
export interface BenchResults extends RunInfo {
  schema: 1;
  endpoints: EndpointResult[];
  password: PasswordResult | null;
  growth: GrowthResult | null;
}

/** Authly's rate over a baseline's, per connection count (null where either is missing). */
export function ratios(authly: LoadResult[], baseline: LoadResult[]): (number | null)[] {
  return authly.map((run, i) => {
    const other = baseline[i];
    if (!other || other.rps === 0) return null;
    return Math.round((run.rps / other.rps) * 1000) / 1000;
  });
}
