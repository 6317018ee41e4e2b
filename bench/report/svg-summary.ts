/**
 * Standalone SVG images of a run, for the README: one chart per endpoint in a grid, Authly beside
 * its baselines, either throughput or p95 latency against connections. Same charts as the HTML
 * report, in a file that a Markdown page can show as an image.
 */
import type { BenchResults } from '../results.js';
import { endpointSeries } from './html.js';
import { lineChart } from './svg-chart.js';

/** The size of one chart (see svg-chart.ts) and the number of charts per row. */
const CELL = { width: 420, height: 240 };
const COLUMNS = 3;
const HEADING = 34;

const STYLE = `text{font:11px system-ui,sans-serif;fill:#333}.title{font-size:13px;font-weight:600}
.grid{stroke:#e5e7eb}.heading{font-size:15px;font-weight:600}`;

/** Which measure the image shows. */
export type SummaryMetric = 'rps' | 'p95';

const TITLES: Record<SummaryMetric, string> = {
  rps: 'requests/s against connections',
  p95: 'p95 latency (ms) against connections',
};

/** The whole image: a heading naming the run, then the charts. */
export function svgSummary(results: BenchResults, metric: SummaryMetric): string {
  const charts = endpointSeries(results).map(({ label, rps, p95 }, i) => {
    const x = (i % COLUMNS) * CELL.width;
    const y = HEADING + Math.floor(i / COLUMNS) * CELL.height;
    const title = label.replace(/`/g, '');
    const series = metric === 'rps' ? rps : p95;
    const chart = lineChart(title, 'connections', results.connections, series);
    return chart.replace('<svg ', `<svg x="${x}" y="${y}" `);
  });

  const rows = Math.max(1, Math.ceil(charts.length / COLUMNS));
  const width = COLUMNS * CELL.width;
  const height = HEADING + rows * CELL.height;
  const workers = `${results.workers} worker${results.workers === 1 ? '' : 's'}`;
  const heading = `Authly (${results.engine}, ${workers}) — ${TITLES[metric]}, ${results.date.slice(
    0,
    10,
  )}, commit ${results.commit}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" `,
    `width="${width}" height="${height}" role="img" aria-label="${heading}">`,
    `<style>${STYLE}</style><rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="22" class="heading">${heading}</text>`,
    ...charts,
    '</svg>\n',
  ].join('');
}
