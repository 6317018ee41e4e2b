/** Saves a run's results: <out>/<date>-<engine>[-quick].json and the HTML report beside it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResults } from '../results.js';
import { htmlReport } from './html.js';

/** Writes both files and answers their paths. */
export function writeResults(results: BenchResults, out: string): { json: string; html: string } {
  mkdirSync(out, { recursive: true });
  const day = results.date.slice(0, 10);
  const base = join(resolve(out), `${day}-${results.engine}${results.quick ? '-quick' : ''}`);
  const json = `${base}.json`;
  const html = `${base}.html`;
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(html, htmlReport(results));
  return { json, html };
}
