/**
 * Measures one endpoint on one server: a probe, an unrecorded warm-up at the highest count, then
 * one load per connection count, which the suite interleaves with the baselines' loads. Endpoints
 * that spend a single-use credential per request get a fresh batch before each load, sized from
 * the fastest rate seen so far so that the load runs its full duration without ever replaying one.
 */
import type { Endpoint, RequestShape, Target } from './endpoints.js';
import type { LoadJob, LoadResult } from './load/job.js';
import type { LoadGenerator } from './load/load-generator.js';
import { probe } from './probe.js';
import type { ProgressBar } from './progress.js';

/** Makes `count` single-use credentials (codes or refresh tokens). */
export type Supplier = (count: number) => Promise<string[]>;

/** The rate assumed before any has been seen, for the first batch of credentials. */
const FIRST_GUESS_PER_SECOND = 3000;
/**
 * Headroom over the fastest rate seen: more connections may go faster, and the warm-up, which
 * sets the first estimate, runs before the JIT has done its work.
 */
const HEADROOM = 2;
/** Never mint more than this for one load (memory of the load generator). */
const MOST_CREDENTIALS = 600_000;

/** What prepareEndpoint and measureEndpoint need. */
export interface MeasureInput {
  load: LoadGenerator;
  progress: ProgressBar;
  endpoint: Endpoint;
  target: Target;
  shape: RequestShape;
  /** The counts measureEndpoint loads at; the warm-up runs at the highest. */
  connections: number[];
  duration: number;
  warmup: number;
  supply?: Supplier;
  /** A probe load run beside each measurement (discovery during the password grant). */
  beside?: LoadJob;
  /** Names the phase in progress lines (the growth check's "few" and "many"). */
  label?: string;
}

/** Loads per connection count, or why the endpoint could not be measured. */
export interface Measurement {
  runs: LoadResult[];
  /** The results of the `beside` load, one per connection count. */
  beside?: LoadResult[];
  problem?: string;
}

/** A server ready for the loads of one endpoint, or why it cannot be measured. */
export type PreparedEndpoint =
  | { ok: true; loadAt: (connections: number) => Promise<{ run: LoadResult; beside?: LoadResult }> }
  | { ok: false; problem: string };

/** Runs the probe and the warm-up; answers what runs each load. */
export async function prepareEndpoint(input: MeasureInput): Promise<PreparedEndpoint> {
  const { endpoint, shape, supply } = input;
  const target = input.label ? `${input.target} · ${input.label}` : input.target;
  const checked = await probe(endpoint.name, shape, supply ? (await supply(1))[0] : undefined);
  if (!checked.ok) {
    input.progress.note(`${endpoint.name} · ${target}: not measured (${checked.problem})`);
    return { ok: false, problem: checked.problem };
  }

  let fastest = FIRST_GUESS_PER_SECOND;
  const job = async (connections: number, seconds: number): Promise<LoadJob> => {
    const base: LoadJob = {
      url: shape.url,
      method: shape.method,
      headers: shape.headers,
      connections,
      durationSeconds: seconds,
      expectStatus: shape.expectStatus,
      expectLocation: shape.expectLocation,
    };
    if (typeof shape.body !== 'function' || !supply) return { ...base, body: shape.body as string };

    const wanted = Math.ceil(fastest * HEADROOM * seconds) + 4 * connections;
    const count = Math.min(MOST_CREDENTIALS, wanted);
    const build = shape.body;
    return { ...base, bodies: (await supply(count)).map((credential) => build(credential)) };
  };

  const top = Math.max(...input.connections);
  if (input.warmup > 0) {
    const label = `${endpoint.name} · ${target} · warm-up`;
    const [warm] = await run(input, label, [await job(top, input.warmup)]);
    fastest = Math.max(warm.rps, 100);
  }

  const loadAt = async (connections: number) => {
    const label = `${endpoint.name} · ${target} · ${connections} conn`;
    const jobs = [await job(connections, input.duration)];
    if (input.beside) jobs.push(input.beside);
    const [main, side] = await run(input, label, jobs);
    fastest = Math.max(fastest, main.rps);
    return side ? { run: main, beside: side } : { run: main };
  };
  return { ok: true, loadAt };
}

/** Runs the probe, the warm-up and one load per connection count, in turn. */
export async function measureEndpoint(input: MeasureInput): Promise<Measurement> {
  const prepared = await prepareEndpoint(input);
  if (!prepared.ok) return { runs: [], problem: prepared.problem };
  const runs: LoadResult[] = [];
  const beside: LoadResult[] = [];
  for (const connections of input.connections) {
    const loaded = await prepared.loadAt(connections);
    runs.push(loaded.run);
    if (loaded.beside) beside.push(loaded.beside);
  }
  return input.beside ? { runs, beside } : { runs };
}

async function run(input: MeasureInput, label: string, jobs: LoadJob[]): Promise<LoadResult[]> {
  input.progress.start(label, jobs[0].durationSeconds);
  const results = await input.load.run(jobs, (responses, elapsed) =>
    input.progress.update(responses, elapsed),
  );
  input.progress.finish(summarize(results[0]));
  return results;
}

/** One line for the log: rate, latency, errors. */
export function summarize(result: LoadResult): string {
  const { avg, p95, p99 } = result.latencyMs;
  const rate = Math.round(result.rps).toLocaleString('en-US');
  const errors = `${(result.errorRate * 100).toFixed(2)} % errors`;
  const ran = result.exhausted ? `  (credentials ran out after ${result.seconds} s)` : '';
  return `${rate}/s  avg ${avg} ms  p95 ${p95} ms  p99 ${p99} ms  ${errors}${ran}`;
}
