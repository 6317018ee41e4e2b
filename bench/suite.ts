/**
 * One benchmark run: a fresh database seeded through the store, Authly and the baselines each in
 * a process of their own, the load generator in another, then every endpoint measured on every
 * server that serves it, the servers taking turns at each connection count, so that a baseline is
 * measured right beside Authly.
 */
import { availableParallelism } from 'node:os';
import { openStore } from '../src/store/index.js';
import type { Store } from '../src/store/types.js';
import type { Argon2Capacity } from './argon2-capacity.js';
import { mintOidcProviderCodes, startBare, startOidcProvider, type Baseline,
  type BareDocument } from './baselines/start.js';
import { createDatabase, describeDurability, type BenchDatabase } from './database.js';
import { ENDPOINTS, requestFor, type Endpoint, type RequestShape, type Target,
  type TargetContext } from './endpoints.js';
import type { LoadJob, LoadResult } from './load/job.js';
import { LoadGenerator } from './load/load-generator.js';
import {
  prepareEndpoint,
  type MeasureInput,
  type PreparedEndpoint,
  type Supplier,
} from './measure.js';
import type { BenchOptions } from './options.js';
import { startChild } from './processes.js';
import { probe } from './probe.js';
import type { ProgressBar } from './progress.js';
import { ratios, type EndpointResult, type PasswordResult } from './results.js';
import { seedFixtures } from './seed/fixtures.js';
import { mintCodes, mintRefreshTokens } from './seed/mint.js';
import { startAuthly, type AuthlyServer } from './servers/authly.js';

/** Discovery requests per second beside the password load: a user's page, not a second load. */
const BESIDE_RATE = 50;
/** Store connections the benchmark uses for minting (PostgreSQL). */
const MINT_POOL = 16;

/** What a run leaves to report. */
export interface SuiteResult {
  engine: BenchDatabase['engine'];
  durability: string;
  endpoints: EndpointResult[];
  password: PasswordResult | null;
}

/** Everything a run started, so that it can all be stopped whatever happens. */
export interface Running {
  database?: BenchDatabase;
  store?: Store;
  authly?: AuthlyServer;
  load?: LoadGenerator;
  bare?: Baseline;
  oidcProvider?: Baseline;
}

/** Stops what `running` holds, in reverse order of starting. */
export async function stopAll(running: Running): Promise<void> {
  await running.oidcProvider?.child.stop();
  await running.bare?.child.stop();
  await running.load?.stop();
  await running.authly?.stop();
  await running.store?.close();
  await running.database?.remove();
}

/** Runs the main benchmark (everything but the growth check). */
export async function runSuite(options: BenchOptions, progress: ProgressBar): Promise<SuiteResult> {
  const running: Running = {};
  try {
    const database = (running.database = await createDatabase(options.databaseUrl));
    const store = (running.store = await openStore(database.url, { poolSize: MINT_POOL }));
    await store.migrate();
    const seeded = await seedFixtures(store, new Date());

    progress.note(`starting Authly (${database.engine}, ${options.workers} worker(s))`);
    const authly = (running.authly = await startAuthly({
      databaseUrl: database.url,
      workers: options.workers,
      logLevel: options.logLevel,
      cpuProfileDir: options.cpuProfileDir ?? undefined,
    }));
    running.load = await LoadGenerator.start();
    if (options.baselines) {
      progress.note('starting the baselines (bare node:http, oidc-provider)');
      running.bare = await startBare(await documentsOf(authly.url), options.workers);
      running.oidcProvider = await startOidcProvider();
    }

    const suppliers: Record<string, Supplier> = {
      'authly:code': (count) => mintCodes(store, seeded.userId, count),
      'authly:refresh_token': (count) => mintRefreshTokens(store, seeded.userId, count),
      'oidc-provider:code': (count) => mintOidcProviderCodes(running.oidcProvider!, count),
    };
    const contexts: Record<Target, TargetContext> = {
      authly: { url: authly.url, sessionCookie: seeded.sessionCookie },
      bare: { url: running.bare?.url ?? '' },
      'oidc-provider': { url: running.oidcProvider?.url ?? '' },
    };

    const endpoints: EndpointResult[] = [];
    let password: PasswordResult | null = null;
    for (const name of options.endpoints) {
      const endpoint = ENDPOINTS[name];
      if (name === 'introspection' || name === 'userinfo') {
        await ensureAccessTokens(contexts, suppliers['authly:code']);
      }
      const result = await measureOnEach(endpoint, options, running, contexts, suppliers, progress);
      endpoints.push(result.endpoint);
      if (result.password) password = result.password;
    }

    return {
      engine: database.engine,
      durability: await describeDurability(database),
      endpoints,
      password,
    };
  } finally {
    progress.note('stopping servers');
    await stopAll(running);
  }
}

/** Measures `endpoint` on Authly and on each of its baselines that runs, taking turns. */
async function measureOnEach(
  endpoint: Endpoint,
  options: BenchOptions,
  running: Running,
  contexts: Record<Target, TargetContext>,
  suppliers: Record<string, Supplier>,
  progress: ProgressBar,
): Promise<{ endpoint: EndpointResult; password?: PasswordResult }> {
  const result: EndpointResult = {
    name: endpoint.name,
    label: endpoint.label,
    runs: {},
    problems: {},
    ratios: {},
  };
  const targets: Target[] = ['authly', ...(options.baselines ? endpoint.baselines : [])];
  let argon2: Argon2Capacity | undefined;
  let beside: LoadJob | undefined;
  if (endpoint.name === 'password') {
    argon2 = await measureArgon2(options.quick ? 1 : 3, progress);
    beside = {
      ...toJob(requestFor('authly', 'discovery', contexts.authly), 1, options.duration),
      overallRate: BESIDE_RATE,
    };
  }

  // Every server is probed and warmed up first; then, at each connection count, each server is
  // loaded in turn, in the reverse order at the next count, so that a ratio compares loads made
  // seconds apart and the drift of a shared machine does not favour whoever ran first.
  const prepared = new Map<Target, PreparedEndpoint>();
  for (const target of targets) {
    const input: MeasureInput = {
      load: running.load!,
      progress,
      endpoint,
      target,
      shape: requestFor(target, endpoint.name, contexts[target]),
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      supply: endpoint.credential ? suppliers[`${target}:${endpoint.credential}`] : undefined,
      beside: target === 'authly' ? beside : undefined,
    };
    const ready = await prepareEndpoint(input);
    prepared.set(target, ready);
    result.runs[target] = [];
    if (!ready.ok) result.problems[target] = ready.problem;
  }

  const besideRuns: LoadResult[] = [];
  for (const [i, connections] of options.connections.entries()) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      const ready = prepared.get(target)!;
      if (!ready.ok) continue;
      const loaded = await ready.loadAt(connections);
      result.runs[target]!.push(loaded.run);
      if (loaded.beside) besideRuns.push(loaded.beside);
    }
  }

  const authlyRuns = result.runs.authly ?? [];
  for (const target of targets.slice(1)) {
    result.ratios[target] = ratios(authlyRuns, result.runs[target] ?? []);
  }
  if (!argon2) return { endpoint: result };

  return {
    endpoint: result,
    password: {
      argon2,
      ratioToArgon2: authlyRuns.map(
        (run) => Math.round((run.rps / argon2.hashesPerSecond) * 1000) / 1000,
      ),
      discoveryBeside: besideRuns,
      besideRatePerSecond: BESIDE_RATE,
    },
  };
}

function toJob(shape: RequestShape, connections: number, seconds: number): LoadJob {
  return {
    url: shape.url,
    method: shape.method,
    headers: shape.headers,
    body: typeof shape.body === 'string' ? shape.body : undefined,
    connections,
    durationSeconds: seconds,
    expectStatus: shape.expectStatus,
  };
}

/**
 * The responses Authly gives for discovery and JWKS, body and headers, for bare node:http to give
 * byte for byte the same (less what node:http adds itself: date, connection, keep-alive). The load
 * generator shares the cores and parses every header it receives, so the floor must answer the
 * same headers for the ratio to measure the server alone.
 */
async function documentsOf(url: string): Promise<Record<string, BareDocument>> {
  const documents: Record<string, BareDocument> = {};
  for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
    const response = await fetch(`${url}${path}`);
    if (!response.ok) throw new Error(`Authly answered ${response.status} for ${path}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) {
      if (!ADDED_BY_NODE.includes(name)) headers[name] = value;
    }
    documents[path] = { body: await response.text(), headers };
  }
  return documents;
}

/** Response headers node:http writes on its own. */
const ADDED_BY_NODE = ['date', 'connection', 'keep-alive', 'transfer-encoding'];

/**
 * Access tokens for introspection and userinfo: a user's, from a code exchange (or, failing
 * that, the password grant) on Authly; a client's from client_credentials on oidc-provider.
 */
export async function ensureAccessTokens(
  contexts: Record<Target, TargetContext>,
  mintCode: Supplier,
): Promise<void> {
  const authly = contexts.authly;
  if (!authly.accessToken) {
    const [code] = await mintCode(1);
    const exchange = requestFor('authly', 'authorization_code', authly);
    const viaCode = await probe('authorization_code', exchange, code);
    const answer = viaCode.ok
      ? viaCode
      : await probe('password', requestFor('authly', 'password', authly));
    if (answer.ok) authly.accessToken = String(answer.json?.access_token);
  }

  const peer = contexts['oidc-provider'];
  if (peer.url && !peer.accessToken) {
    const request = requestFor('oidc-provider', 'client_credentials', peer);
    const answer = await probe('client_credentials', request);
    if (answer.ok) peer.accessToken = String(answer.json?.access_token);
  }
}

/** argon2id verifications per second on all cores, in a process of its own. */
async function measureArgon2(seconds: number, progress: ProgressBar): Promise<Argon2Capacity> {
  progress.note(`measuring argon2id capacity (${seconds} s at each of two levels)`);
  const threadPool = Math.max(4, availableParallelism() * 2);
  const child = await startChild(new URL('./argon2-capacity.js', import.meta.url), {
    env: {
      ...process.env,
      BENCH_SECONDS: String(seconds),
      UV_THREADPOOL_SIZE: String(threadPool),
    },
    showErrors: true,
  });
  try {
    const { capacity } = await child.next<{ type: string; capacity: Argon2Capacity }>('capacity');
    const { hashesPerSecond, cores } = capacity;
    progress.note(`argon2id: ${hashesPerSecond} verifications/s on ${cores} cores`);
    return capacity;
  } finally {
    await child.stop();
  }
}
