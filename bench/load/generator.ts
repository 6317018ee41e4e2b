/**
 * The load-generator process: runs autocannon for each job it is sent, concurrently when a
 * message carries several (a main load and a probe beside it), and answers the results. It runs
 * apart from the benchmark and the servers, so that the only thing it shares with them is the CPU.
 */
import autocannon from 'autocannon';
import type { FromGenerator, LoadJob, LoadResult, ToGenerator } from './job.js';
import { LatencyRecorder } from './stats.js';

/** A request that has not answered in this long counts as a timeout (an error). */
const TIMEOUT_SECONDS = 30;
/** How often progress is reported to the parent. */
const PROGRESS_MS = 250;

type Headers = Record<string, unknown>;

function send(message: FromGenerator): void {
  process.send?.(message);
}

/** Runs one job to its end and measures it. */
function runJob(job: LoadJob, onProgress?: (responses: number, elapsed: number) => void) {
  return new Promise<LoadResult>((resolve, reject) => {
    const latencies = new LatencyRecorder();
    const status: Record<string, number> = {};
    let responses = 0;
    let successes = 0;
    let wrongLocation = 0;
    let lastResponseAt = 0;
    const startedAt = performance.now();

    const bodies = job.bodies;
    let next = 0;
    const perRequest = bodies
      ? {
          setupRequest: (request: { body?: string | Buffer }) => {
            // Past the end only if autocannon builds more than `amount` asks: repeat the last
            // body then, which the server refuses and the run counts as an error.
            request.body = bodies[Math.min(next++, bodies.length - 1)];
            return request;
          },
        }
      : {};
    const checkLocation = job.expectLocation
      ? {
          onResponse: (code: number, _body: string, _c: unknown, headers: Headers) => {
            if (!job.expectStatus.includes(code)) return;
            const location = String(headers.location ?? headers.Location ?? '');
            if (!location.includes(job.expectLocation as string)) wrongLocation++;
          },
        }
      : {};

    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationSeconds,
        // Each connection builds one request ahead of what it sends: keep that many in reserve.
        // (With `amount` set, autocannon ignores `duration`: the timer below stops the run.)
        amount: bodies ? Math.max(job.connections, bodies.length - 2 * job.connections) : undefined,
        overallRate: job.overallRate,
        timeout: TIMEOUT_SECONDS,
        // A stop takes effect at the next sample: sample often, so that a run ends on time.
        sampleInt: 100,
        requests: [
          {
            method: job.method,
            headers: job.headers,
            body: job.body,
            ...perRequest,
            ...checkLocation,
          },
        ],
      },
      (error, result) => {
        clearInterval(progress);
        clearTimeout(timer);
        if (error) return reject(error);

        const seconds = Math.max(1e-6, (lastResponseAt - startedAt) / 1000);
        const ok = successes - wrongLocation;
        const attempts = responses + result.errors;
        resolve({
          connections: job.connections,
          seconds: Math.round(seconds * 1000) / 1000,
          responses,
          successes: ok,
          rps: Math.round((ok / seconds) * 10) / 10,
          errorRate: attempts === 0 ? 1 : (attempts - ok) / attempts,
          errors: { status, wrongLocation, socket: result.errors, timeouts: result.timeouts },
          latencyMs: latencies.summary(),
          exhausted: bodies !== undefined && !timedOut,
        });
      },
    );

    instance.on('response', (_client: unknown, code: number, _bytes: number, ms: number) => {
      responses++;
      lastResponseAt = performance.now();
      latencies.record(ms);
      if (job.expectStatus.includes(code)) successes++;
      else status[code] = (status[code] ?? 0) + 1;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      instance.stop();
    }, job.durationSeconds * 1000);
    const progress = setInterval(
      () => onProgress?.(responses, (performance.now() - startedAt) / 1000),
      PROGRESS_MS,
    );
  });
}

process.on('message', (message: ToGenerator) => {
  if (message.type === 'stop') process.exit(0);
  const { id, jobs } = message;
  const report = (responses: number, elapsed: number) =>
    send({ type: 'progress', id, responses, elapsed });
  Promise.all(jobs.map((job, i) => runJob(job, i === 0 ? report : undefined))).then(
    (results) => send({ type: 'done', id, results }),
    (error: Error) => send({ type: 'failed', id, message: String(error?.message ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
