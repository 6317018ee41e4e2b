/**
 * The HTML report: how the run was made, throughput and p95 against connections for each
 * endpoint (Authly beside its baselines) as inline SVG, then the same tables as on stdout. One
 * self-contained file, no scripts and no external assets.
 */
import { escapeHtml } from '../../src/http/pages/layout.js';
import type { Target } from '../endpoints.js';
import type { BenchResults } from '../results.js';
import { lineChart, type Series } from './svg-chart.js';
import { markdownTables } from './tables.js';

/** Line colours per server, shared with the SVG summary. */
export const COLORS: Record<Target, string> = {
  authly: '#1d4ed8',
  bare: '#6b7280',
  'oidc-provider': '#c2410c',
};
/** Display names per server, shared with the SVG summary. */
export const NAMES: Record<Target, string> = {
  authly: 'Authly',
  bare: 'bare node:http',
  'oidc-provider': 'oidc-provider',
};

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;
color:#111}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f3f4f6}
.charts{display:flex;flex-wrap:wrap;gap:8px}svg text{font-size:11px;fill:#333}
svg .title{font-size:13px;font-weight:600}svg .grid{stroke:#e5e7eb}svg .legend{font-size:11px}
.facts td{text-align:left}
.note{background:#fffbeb;border:1px solid #fcd34d;padding:.5rem 1rem}code{font-size:90%}`;

/** Inline Markdown of the tables: `code` only. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** The Markdown of markdownTables() as HTML: headings, tables, paragraphs. */
function tablesHtml(markdown: string): string {
  const out: string[] = [];
  let rows: string[][] = [];
  const flush = () => {
    if (rows.length === 0) return;
    const [head, , ...body] = rows;
    const cells = (row: string[], tag: string) =>
      row.map((cell) => `<${tag}>${inline(cell)}</${tag}>`).join('');
    const lines = body.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('');
    out.push(`<table><tr>${cells(head, 'th')}</tr>${lines}</table>`);
    rows = [];
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      rows.push(line.slice(2, -2).split(' | '));
      continue;
    }
    flush();
    if (line.startsWith('### ')) out.push(`<h3>${inline(line.slice(4))}</h3>`);
    else if (line.trim() !== '') out.push(`<p>${inline(line.replace(/^\\\*/, '*'))}</p>`);
  }
  flush();
  return out.join('\n');
}

/** The measured endpoints, each with one series per server that served it. */
export function endpointSeries(results: BenchResults) {
  return results.endpoints
    .filter((e) => (e.runs.authly ?? []).length > 0)
    .map((e) => {
      const targets = (Object.keys(e.runs) as Target[]).filter((t) => (e.runs[t] ?? []).length > 0);
      const series = (pick: (i: number, t: Target) => number | null): Series[] =>
        targets.map((t) => ({
          name: NAMES[t],
          color: COLORS[t],
          values: results.connections.map((_, i) => pick(i, t)),
        }));
      return {
        label: e.label,
        rps: series((i, t) => e.runs[t]?.[i]?.rps ?? null),
        p95: series((i, t) => e.runs[t]?.[i]?.latencyMs.p95 ?? null),
      };
    });
}

function charts(results: BenchResults): string {
  return endpointSeries(results)
    .map(({ label, rps, p95 }) => {
      return `<h3>${inline(label)}</h3><div class="charts">${lineChart(
        'requests/s',
        'connections',
        results.connections,
        rps,
      )}${lineChart('p95 latency (ms)', 'connections', results.connections, p95)}</div>`;
    })
    .join('\n');
}

/** The whole report page. */
export function htmlReport(results: BenchResults): string {
  const m = results.machine;
  const facts = [
    ['date', results.date],
    ['commit', results.commit],
    ['command', results.command],
    ['machine', `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node.js ${m.node}`],
    ['database', results.durability],
    ['Authly', `${results.workers} worker(s), log level ${results.logLevel}`],
    ['each measurement', `${results.durationSeconds} s (warm-up ${results.warmupSeconds} s)`],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Authly benchmark ${escapeHtml(results.date)}</title>
<style>${STYLE}</style></head><body>
<h1>Authly benchmark — ${escapeHtml(results.engine)}</h1>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`)
  .join('')}</table>
${results.notes.map((n) => `<p class="note">${inline(n)}</p>`).join('\n')}
<h2>Throughput and p95 against connections</h2>
${charts(results)}
<h2>Tables</h2>
${tablesHtml(markdownTables(results, false))}
</body></html>
`;
}
