/**
 * The growth check (`--growth`): p95 of the token endpoints with few stored tokens, then again
 * after a bulk insert has brought every token table to many (10⁴ and 10⁶ by default). A fresh
 * database and server of their own, so that the main run's rows do not blur the small end.
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

/** Runs the growth check. */
export async function runGrowth(
  options: BenchOptions,
  progress: ProgressBar,
): Promise<GrowthResult> {
  const running: Running = {};
  const [few, many] = options.growthRows;
  try {
    const database = (running.database = await createDatabase(options.databaseUrl));
    const store = (running.store = await openStore(database.url, { poolSize: 16 }));
    await store.migrate();
    const seeded = await seedFixtures(store, new Date());
    progress.note(`growth: storing ${few.toLocaleString('en-US')} rows per token table`);
    const smallRows = await addBackgroundRows(database, few);

    const authly = (running.authly = await startAuthly({
      databaseUrl: database.url,
      workers: options.workers,
      logLevel: options.logLevel,
    }));
    const load = (running.load = await LoadGenerator.start());
    const suppliers: Record<string, Supplier> = {
      'authly:code': (n) => mintCodes(store, seeded.userId, n),
      'authly:refresh_token': (n) => mintRefreshTokens(store, seeded.userId, n),
    };
    const contexts = {
      authly: { url: authly.url, sessionCookie: seeded.sessionCookie } as TargetContext,
      bare: { url: '' },
      'oidc-provider': { url: '' },
    };
    await ensureAccessTokens(contexts, suppliers['authly:code']);

    const measureAll = async (phase: string) => {
      const results = new Map<EndpointName, { run: LoadResult | null; problem?: string }>();
      for (const name of GROWTH_ENDPOINTS) {
        const endpoint = ENDPOINTS[name];
        const measured = await measureEndpoint({
          load,
          progress,
          endpoint,
          target: 'authly',
          shape: requestFor('authly', name, contexts.authly),
          connections: [options.growthConnections],
          duration: options.duration,
          warmup: options.warmup,
          supply: endpoint.credential ? suppliers[`authly:${endpoint.credential}`] : undefined,
          label: `growth (${phase})`,
        });
        results.set(name, { run: measured.runs[0] ?? null, problem: measured.problem });
      }
      return results;
    };

    const small = await measureAll('few');
    const more = (many - few).toLocaleString('en-US');
    progress.note(`growth: storing ${more} more rows per token table`);
    const largeRows: StoredRows = await addBackgroundRows(database, many - few);
    const large = await measureAll('many');

    return {
      connections: options.growthConnections,
      rows: { small: smallRows, large: largeRows },
      endpoints: GROWTH_ENDPOINTS.map((name): GrowthEndpoint => {
        const before = small.get(name)!;
        const after = large.get(name)!;
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
      }),
    };
  } finally {
    await stopAll(running);
  }
}
