/**
 * Latency statistics from every response's own time. autocannon's histogram rounds to whole
 * milliseconds and keeps only p90, p97.5 and p99, and it leaves out non-2xx answers (the 302 of
 * /authorize among them); keeping every sample and sorting once gives exact p95 and p99.
 */

/** Latency figures of one run, in milliseconds. */
export interface LatencySummary {
  avg: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Collects response times (ms) into a growing Float64Array. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private count = 0;

  /** Adds one response time in milliseconds. */
  record(ms: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = ms;
  }

  /** Average and nearest-rank percentiles; zeros when nothing was recorded. */
  summary(): LatencySummary {
    const sorted = this.samples.subarray(0, this.count).sort();
    if (sorted.length === 0) return { avg: 0, p50: 0, p95: 0, p99: 0, max: 0 };

    let total = 0;
    for (const value of sorted) total += value;
    return {
      avg: round(total / sorted.length),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1]),
    };
  }
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Three decimals: microsecond resolution in milliseconds is all a loopback run can tell. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
