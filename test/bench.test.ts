/**
 * The benchmark as a smoke test: `--quick` with tiny durations on SQLite, run as `npm run bench`
 * runs it (its own process), then the JSON it saved is checked for its shape and for every
 * endpoint having been measured on Authly and on its baselines without a single error. No timing
 * is asserted: speed is what the benchmark reports, not what a test decides.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { runBench } from '../bench/cli.js';
import { ENDPOINT_NAMES, ENDPOINTS } from '../bench/endpoints.js';
import type { BenchResults } from '../bench/results.js';
import { tempDir } from './helpers/engines.js';

const CLI = fileURLToPath(new URL('../bench/cli.js', import.meta.url));
const CONNECTIONS = [1, 3];

/** Runs the benchmark in a child process; answers its exit code and output. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [CLI, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('benchmark --quick on SQLite', () => {
  test('measures every endpoint and its baselines with zero errors', async () => {
    const out = tempDir('authly-bench-test-');
    const args = ['--quick', '--duration', '0.3', '--warmup', '0', '--connections', '1,3'];
    const { code, stdout, stderr } = await runCli([...args, '--out', out]);
    assert.equal(code, 0, stderr);

    const files = readdirSync(out).sort();
    assert.equal(files.length, 4);
    assert.match(files[0], /^\d{4}-\d{2}-\d{2}-sqlite-quick-p95\.svg$/);
    assert.match(files[1], /^\d{4}-\d{2}-\d{2}-sqlite-quick-throughput\.svg$/);
    assert.match(files[2], /^\d{4}-\d{2}-\d{2}-sqlite-quick\.html$/);
    assert.match(files[3], /^\d{4}-\d{2}-\d{2}-sqlite-quick\.json$/);
    const results = JSON.parse(readFileSync(join(out, files[3]), 'utf8')) as BenchResults;

    assert.equal(results.schema, 1);
    assert.equal(results.engine, 'sqlite');
    assert.equal(results.quick, true);
    assert.deepEqual(results.connections, CONNECTIONS);
    assert.match(results.durability, /synchronous=FULL/);
    assert.match(results.commit, /^([0-9a-f]{7,}(-dirty)?|unknown)$/);
    assert.ok(results.notes.some((note) => /load generator .* same \d+ cores/.test(note)));
    assert.deepEqual(results.endpoints.map((e) => e.name), [...ENDPOINT_NAMES]);

    for (const endpoint of results.endpoints) {
      assert.deepEqual(endpoint.problems, {}, endpoint.name);
      for (const target of ['authly', ...ENDPOINTS[endpoint.name].baselines] as const) {
        const runs = endpoint.runs[target];
        assert.ok(runs, `${endpoint.name} on ${target} ran`);
        assert.deepEqual(runs.map((run) => run.connections), CONNECTIONS);
        for (const run of runs) {
          const where = `${endpoint.name} on ${target} at ${run.connections}`;
          assert.ok(run.successes > 0, where);
          assert.equal(run.errorRate, 0, `${where}: ${JSON.stringify(run.errors)}`);
          assert.equal(run.responses, run.successes, where);
          assert.ok(run.rps > 0, where);
          const { avg, p50, p95, p99, max } = run.latencyMs;
          assert.ok(avg > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, where);
        }
        if (target !== 'authly') assert.equal(endpoint.ratios[target]?.length, CONNECTIONS.length);
      }
    }

    const password = results.password;
    assert.ok(password);
    const { argon2 } = password;
    const cores = availableParallelism();
    assert.deepEqual(argon2.levels.map((level) => level.inFlight), [cores, cores * 2]);
    const best = Math.max(...argon2.levels.map((level) => level.hashesPerSecond));
    assert.ok(best > 0);
    assert.equal(argon2.hashesPerSecond, best);
    assert.match(stdout, /argon2id on this machine: [\d,]+ verifications\/s .* the best of /);
    assert.match(stdout, /computes at most \d+ password hash\(es\) at once/);
    assert.equal(password.discoveryBeside.length, CONNECTIONS.length);
    for (const run of password.discoveryBeside) assert.equal(run.errorRate, 0);
    assert.equal(results.growth, null);

    assert.match(stdout, /\| endpoint \| 1 user \| 3 users \| p95 at 3 \| errors at 3 \|/);
    assert.match(stdout, /`POST` token, refresh_token \| [\d,]+\/s/);
    const html = readFileSync(join(out, files[2]), 'utf8');
    assert.equal(html.match(/<svg /g)?.length, 2 * ENDPOINT_NAMES.length);
    assert.match(html, /load generator/);
    // Each image: the heading, then one chart per endpoint, nested in one SVG document.
    for (const image of files.slice(0, 2)) {
      const svg = readFileSync(join(out, image), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.equal(svg.match(/<svg /g)?.length, 1 + ENDPOINT_NAMES.length);
      assert.match(svg, /Authly \(sqlite, 1 worker\)/);
    }
  });

  test('a usage mistake exits 2 and starts nothing', async () => {
    assert.equal(await runBench(['--connections', '0']), 2);
    assert.equal(await runBench(['--endpoints', 'nope']), 2);
    assert.equal(await runBench(['--surprise']), 2);
  });
});
