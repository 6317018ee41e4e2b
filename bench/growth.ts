/**
 * The growth check (`--growth`): p95 of the token endpoints with few and with many stored tokens
 * (10⁴ and 10⁶ per token table by default). Each end has a fresh database and an Authly of its
 * own, both running at once, and each endpoint is loaded on the two in turn, seconds apart, as the
 * baselines are: measured one after the other, minutes apart, a machine that slows down in between
 * would be counted as growth (on a shared machine, client_credentials, which reads no stored
 * token, once came out 44 % slower that way).
 */
import { openStore } from '../src/store/index.js';
import { createDatabase } from './database.js';
import { ENDPOINTS, requestFor, type EndpointName, type TargetContext } from './endpoints.js';
import type { LoadResult } from './load/job.js';
import { LoadGenerator } from './load/load-generator.js';
import { measureEndpoint, type Supplier } from './measure.js';
import type { BenchOptions } from './options.js';
import type { ProgressBar } from './progress.js';
import type { GrowthEndpoint, GrowthResult } from './results.js';
import { addBackgroundRows, type StoredRows } from './seed/bulk.js';
import { seedFixtures } from './seed/fixtures.js';
import { mintCodes, mintRefreshTokens } from './seed/mint.js';
import { startAuthly } from './servers/authly.js';
import { ensureAccessTokens, stopAll, type Running } from './suite.js';

/** The endpoints whose latency could depend on how many tokens are stored. */
const GROWTH_ENDPOINTS: EndpointName[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
  'introspection',
];

/** One end of the check: its database with the background rows, and the Authly serving it. */
interface End {
  phase: 'few' | 'many';
  rows: StoredRows;
  context: TargetContext;
  suppliers: Record<string, Supplier>;
}

interface MeasuredEnd {
  run: LoadResult | null;
  problem?: string;
}

/** Sets up one end; what it starts goes into `running`, stopped even if a later step fails. */
async function startEnd(
  phase: End['phase'],
  rows: number,
  options: BenchOptions,
  progress: ProgressBar,
  running: Running,
): Promise<End> {
  const database = (running.database = await createDatabase(options.databaseUrl));
  const store = (running.store = await openStore(database.url, { poolSize: 16 }));
  await store.migrate();
  const seeded = await seedFixtures(store, new Date());
  progress.note(`growth: storing ${rows.toLocaleString('en-US')} rows per token table`);
  const stored = await addBackgroundRows(database, rows);
  const authly = (running.authly = await startAuthly({
    databaseUrl: database.url,
    workers: options.workers,
    logLevel: options.logLevel,
  }));
  const suppliers: Record<string, Supplier> = {
    'authly:code': (n) => mintCodes(store, seeded.userId, n),
    'authly:refresh_token': (n) => mintRefreshTokens(store, seeded.userId, n),
  };
  const context: TargetContext = { url: authly.url, sessionCookie: seeded.sessionCookie };
  await ensureAccessTokens(
    { authly: context, bare: { url: '' }, 'oidc-provider': { url: '' } },
    suppliers['authly:code'],
  );
  return { phase, rows: stored, context, suppliers };
}

/** Runs the growth check. */
export async function runGrowth(
  options: BenchOptions,
  progress: ProgressBar,
): Promise<GrowthResult> {
  const [fewRows, manyRows] = options.growthRows;
  const fewRunning: Running = {};
  const manyRunning: Running = {};
  try {
    const few = await startEnd('few', fewRows, options, progress, fewRunning);
    const many = await startEnd('many', manyRows, options, progress, manyRunning);
    const load = (fewRunning.load = await LoadGenerator.start());

    const measure = async (end: End, name: EndpointName): Promise<MeasuredEnd> => {
      const endpoint = ENDPOINTS[name];
      const measured = await measureEndpoint({
        load,
        progress,
        endpoint,
        target: 'authly',
        shape: requestFor('authly', name, end.context),
        connections: [options.growthConnections],
        duration: options.duration,
        warmup: options.warmup,
        supply: endpoint.credential ? end.suppliers[`authly:${endpoint.credential}`] : undefined,
        label: `growth (${end.phase})`,
      });
      return { run: measured.runs[0] ?? null, problem: measured.problem };
    };

    const endpoints: GrowthEndpoint[] = [];
    for (const [i, name] of GROWTH_ENDPOINTS.entries()) {
      // Which end goes first alternates, so that neither is always the one after a warm-up.
      const order = i % 2 === 0 ? [few, many] : [many, few];
      const measured = new Map<End, MeasuredEnd>();
      for (const end of order) measured.set(end, await measure(end, name));
      endpoints.push(compare(name, measured.get(few)!, measured.get(many)!));
    }
    return {
      connections: options.growthConnections,
      rows: { small: few.rows, large: many.rows },
      endpoints,
    };
  } finally {
    await stopAll(manyRunning);
    await stopAll(fewRunning);
  }
}

/** The change in p95 from few to many stored tokens. */
function compare(name: EndpointName, before: MeasuredEnd, after: MeasuredEnd): GrowthEndpoint {
  const change =
    before.run && after.run && before.run.latencyMs.p95 > 0
      ? (after.run.latencyMs.p95 - before.run.latencyMs.p95) / before.run.latencyMs.p95
      : null;
  const problem = before.problem ?? after.problem;
  return {
    name,
    small: before.run,
    large: after.run,
    p95Change: change === null ? null : Math.round(change * 1000) / 1000,
    ...(problem ? { problem } : {}),
  };
}
