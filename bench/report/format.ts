/** Number formats shared by the tables and the HTML report. */
import type { LoadResult } from '../load/job.js';

/** 12,345 */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with sensible precision: 0.214 ms, 3.41 ms, 48.2 ms, 1,250 ms. */
export function ms(value: number): string {
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  return `${count(value)} ms`;
}

/** 0.00 %, 0.02 % */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

/** 0.87× */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(2)}×`;
}

/** The cell of the performance tables: `1,234/s (0.81 ms)`, starred when credentials ran out. */
export function rateCell(run: LoadResult | undefined): string {
  if (!run) return '—';
  return `${count(run.rps)}/s (${ms(run.latencyMs.avg)})${run.exhausted ? '*' : ''}`;
}

/** Column headings for the connection counts: `1 user`, `10`, …, `200 users`. */
export function connectionHeadings(connections: number[]): string[] {
  return connections.map((c, i) => {
    const users = c === 1 ? 'user' : 'users';
    return i === 0 || i === connections.length - 1 ? `${c} ${users}` : String(c);
  });
}
