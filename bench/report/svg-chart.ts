/**
 * A line chart as inline SVG, with no library: evenly spaced connection counts along x (they
 * grow roughly geometrically, so even spacing reads better than a linear axis), a linear y axis
 * from zero, one line per server, and a legend.
 */
import { escapeHtml } from '../../src/http/pages/layout.js';

/** One line of a chart. */
export interface Series {
  name: string;
  color: string;
  /** One value per x position; null where there is none. */
  values: (number | null)[];
}

const W = 420;
const H = 240;
const PAD = { left: 58, right: 12, top: 28, bottom: 40 };

/** A round step for about five ticks up to `max`. */
function tickStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough);
  return step ?? rough;
}

/** A text element; `content` is escaped. */
function text(x: number, y: number, content: string, anchor: string, className?: string): string {
  const cls = className ? ` class="${className}"` : '';
  return `<text x="${x}" y="${y}" text-anchor="${anchor}"${cls}>${escapeHtml(content)}</text>`;
}

function tickLabel(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** The chart: `title` above, `xs` along the bottom, the series as lines with dots. */
export function lineChart(title: string, xLabel: string, xs: number[], series: Series[]): string {
  const plotted = series.filter((s) => s.values.some((v) => v !== null));
  const values = plotted.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(1e-9, ...values);
  const step = tickStep(max);
  const top = Math.ceil(max / step) * step;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (xs.length === 1 ? innerW / 2 : (i * innerW) / (xs.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;

  const parts: string[] = [];
  parts.push(text(W / 2, 16, title, 'middle', 'title'));
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}"`);
    parts.push(' class="grid"/>');
    parts.push(text(PAD.left - 6, y(v) + 4, tickLabel(v), 'end'));
  }
  xs.forEach((value, i) => {
    parts.push(text(x(i), H - PAD.bottom + 16, String(value), 'middle'));
  });
  parts.push(text(W / 2, H - 6, xLabel, 'middle'));

  plotted.forEach((s, n) => {
    const points = s.values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p !== null);
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${s.color}"`);
    parts.push(' stroke-width="2"/>');
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`);
    }
    const ly = PAD.top + 4 + n * 14;
    parts.push(`<rect x="${PAD.left + 8}" y="${ly - 8}" width="10" height="3" fill="${s.color}"/>`);
    parts.push(text(PAD.left + 22, ly - 4, s.name, 'start', 'legend'));
  });

  const size = `viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`;
  const label = `role="img" aria-label="${escapeHtml(title)}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${size} ${label}>${parts.join('')}</svg>`;
}
