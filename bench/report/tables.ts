/**
 * The results as Markdown tables, with the columns of the performance tables users know
 * (shared/REFERENCE_PERFORMANCE.md): requests/s with the average latency per connection count,
 * then p95 and errors at the highest count. Then the ratios to the baselines, p95/p99 per count,
 * the password grant beside argon2id, and the growth check.
 */
import type { Target } from '../endpoints.js';
import type { Argon2Capacity } from '../argon2-capacity.js';
import type { BenchResults, EndpointResult, GrowthResult } from '../results.js';
import { connectionHeadings, count, ms, percent, rateCell, ratio } from './format.js';

const TARGET_NAMES: Record<Target, string> = {
  authly: 'Authly',
  bare: 'bare node:http',
  'oidc-provider': 'oidc-provider (memory)',
};

function table(headings: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headings), line(headings.map(() => '---')), ...rows.map(line)].join('\n');
}

function performanceRow(label: string, endpoint: EndpointResult, target: Target, levels: number) {
  const runs = endpoint.runs[target] ?? [];
  const problem = endpoint.problems[target];
  if (problem || runs.length === 0) {
    return [label, ...Array(levels + 2).fill('—')].map((cell, i) =>
      i === 1 ? `not measured: ${problem ?? 'left out'}` : cell,
    );
  }
  const last = runs[runs.length - 1];
  return [label, ...runs.map(rateCell), ms(last.latencyMs.p95), percent(last.errorRate)];
}

/** Every table of a run, in Markdown, after a paragraph on how it was made (unless left out). */
export function markdownTables(results: BenchResults, withPreface = true): string {
  const levels = results.connections;
  const top = levels[levels.length - 1];
  const headings = ['endpoint', ...connectionHeadings(levels), `p95 at ${top}`, `errors at ${top}`];
  const parts: string[] = withPreface ? [preface(results)] : [];

  parts.push(`### Authly (${results.engine}, ${results.workers} worker(s))\n`);
  parts.push(
    table(
      headings,
      results.endpoints.map((e) => performanceRow(e.label, e, 'authly', levels.length)),
    ),
  );

  const baselineRows = results.endpoints.flatMap((e) =>
    (['bare', 'oidc-provider'] as Target[])
      .filter((target) => e.runs[target] !== undefined)
      .map((target) =>
        performanceRow(`${e.label} — ${TARGET_NAMES[target]}`, e, target, levels.length),
      ),
  );
  if (baselineRows.length > 0) {
    parts.push('\n### Baselines, measured in the same run\n');
    parts.push(table(headings, baselineRows));

    const ratioRows = results.endpoints.flatMap((e) =>
      Object.entries(e.ratios).map(([target, values]) => [
        e.name,
        TARGET_NAMES[target as Target],
        ...(values ?? []).map(ratio),
      ]),
    );
    parts.push('\n### Authly ÷ baseline (requests/s at the same connection count)\n');
    parts.push(table(['endpoint', 'baseline', ...connectionHeadings(levels)], ratioRows));
  }

  parts.push('\n### Authly latency, p95 / p99\n');
  parts.push(
    table(
      ['endpoint', ...connectionHeadings(levels)],
      results.endpoints.map((e) => [
        e.name,
        ...(e.runs.authly ?? []).map((r) => `${ms(r.latencyMs.p95)} / ${ms(r.latencyMs.p99)}`),
      ]),
    ),
  );

  if (results.password) parts.push(`\n${passwordTable(results)}`);
  if (results.growth) parts.push(`\n${growthTable(results)}`);
  const ranOut = results.endpoints.some((e) =>
    Object.values(e.runs).some((runs) => runs?.some((run) => run.exhausted)),
  );
  if (ranOut) {
    parts.push('\n\\* the pre-minted codes or refresh tokens ran out before the duration ended');
  }
  return `${parts.join('\n')}\n`;
}

/** Where, when and how: what a reader needs before any figure. */
function preface(results: BenchResults): string {
  const m = results.machine;
  return [
    `Measured ${results.date} at commit ${results.commit} with \`${results.command}\`, on`,
    `${m.cpus} × ${m.cpuModel} (${m.memoryGiB} GiB), Node.js ${m.node}; ${results.durability}.`,
    `Each figure: ${results.durationSeconds} s of load after ${results.warmupSeconds} s of`,
    `warm-up. ${results.notes.join(' ')}\n`,
  ].join(' ');
}

function levelsTried(argon2: Argon2Capacity): string {
  return argon2.levels
    .map((level) => `${count(level.hashesPerSecond)}/s with ${level.inFlight} in flight`)
    .join(' and ');
}

function passwordTable(results: BenchResults): string {
  const password = results.password!;
  const runs = results.endpoints.find((e) => e.name === 'password')?.runs.authly ?? [];
  const { argon2 } = password;
  const intro =
    `### Password grant beside argon2id\n\nargon2id on this machine: ` +
    `${count(argon2.hashesPerSecond)} verifications/s (${argon2.parameters}; ` +
    `${argon2.cores} cores; the best of ${levelsTried(argon2)}). Discovery was requested ` +
    `${password.besideRatePerSecond} times a second beside each password load.\n`;
  return `${intro}\n${table(
    [
      'connections',
      'password grants/s',
      '÷ argon2id capacity',
      'discovery p99 beside',
      'discovery errors',
    ],
    runs.map((run, i) => [
      String(run.connections),
      count(run.rps),
      ratio(password.ratioToArgon2[i]),
      password.discoveryBeside[i] ? ms(password.discoveryBeside[i].latencyMs.p99) : '—',
      password.discoveryBeside[i] ? percent(password.discoveryBeside[i].errorRate) : '—',
    ]),
  )}`;
}

function growthTable(results: BenchResults): string {
  const growth = results.growth!;
  const { small, large } = growth.rows;
  const intro =
    `### Growth: p95 at ${growth.connections} connections with few and many stored tokens\n\n` +
    `Stored rows (refresh tokens / codes / denied jtis): ${count(small.refresh_tokens)} / ` +
    `${count(small.authorization_codes)} / ${count(small.revoked_access_tokens)} against ` +
    `${count(large.refresh_tokens)} / ${count(large.authorization_codes)} / ` +
    `${count(large.revoked_access_tokens)}.\n`;
  return `${intro}\n${table(
    ['endpoint', 'p95, few', 'p95, many', 'change', 'req/s, few', 'req/s, many', 'errors'],
    growth.endpoints.map((e) => [
      e.name,
      e.small ? ms(e.small.latencyMs.p95) : '—',
      e.large ? ms(e.large.latencyMs.p95) : '—',
      change(e),
      e.small ? count(e.small.rps) : '—',
      e.large ? count(e.large.rps) : '—',
      percent(Math.max(e.small?.errorRate ?? 0, e.large?.errorRate ?? 0)),
    ]),
  )}`;
}

/** The growth of p95 as a signed percentage, or why there is none. */
function change(endpoint: GrowthResult['endpoints'][number]): string {
  if (endpoint.p95Change === null) return endpoint.problem ?? '—';
  const sign = endpoint.p95Change >= 0 ? '+' : '';
  return `${sign}${(endpoint.p95Change * 100).toFixed(1)} %`;
}
