/**
 * Saves a run's results: <out>/<date>-<engine>[-w<workers>][-quick].json, the HTML report and
 * two SVG images (throughput, p95) beside it. A later run of the same kind on the same day
 * replaces the earlier one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResults } from '../results.js';
import { htmlReport } from './html.js';
import { svgSummary } from './svg-summary.js';

/** Writes the files and answers their paths. */
export function writeResults(
  results: BenchResults,
  out: string,
): { json: string; html: string; svg: string[] } {
  mkdirSync(out, { recursive: true });
  const day = results.date.slice(0, 10);
  const workers = results.workers > 1 ? `-w${results.workers}` : '';
  const quick = results.quick ? '-quick' : '';
  const base = join(resolve(out), `${day}-${results.engine}${workers}${quick}`);
  const json = `${base}.json`;
  const html = `${base}.html`;
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(html, htmlReport(results));
  const svg = [`${base}-throughput.svg`, `${base}-p95.svg`];
  writeFileSync(svg[0], svgSummary(results, 'rps'));
  writeFileSync(svg[1], svgSummary(results, 'p95'));
  return { json, html, svg };
}
