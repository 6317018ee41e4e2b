/**
 * What the benchmark asks of the load generator and what it answers, sent over the IPC channel
 * between the benchmark (parent) and the load-generator process (bench/load/generator.ts).
 */
import type { LatencySummary } from './stats.js';

/** One load: a request shape, how hard and for how long. */
export interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The same body for every request. */
  body?: string;
  /**
   * One body per request, each sent at most once (single-use codes and refresh tokens). The run
   * stops early when they run out, rather than replay one; the result then says `exhausted`.
   */
  bodies?: string[];
  connections: number;
  durationSeconds: number;
  /** The statuses that count as success (200, or a redirect for /authorize). */
  expectStatus: number[];
  /** For redirects: the Location must contain this (a `code=`, not an `error=`). */
  expectLocation?: string;
  /** Caps the request rate (requests/s), for a probe that runs beside a main load. */
  overallRate?: number;
}

/** What went wrong, by kind. */
export interface LoadErrors {
  /** Responses with another status than expected, by status code. */
  status: Record<string, number>;
  /** Redirects whose Location lacked `expectLocation`. */
  wrongLocation: number;
  /** Connection errors and timeouts (autocannon counts timeouts among errors). */
  socket: number;
  timeouts: number;
}

/** The outcome of one LoadJob. */
export interface LoadResult {
  connections: number;
  /** From the first request sent to the last response received. */
  seconds: number;
  responses: number;
  successes: number;
  /** Successful responses per second. */
  rps: number;
  /** Failed attempts (wrong status, wrong Location, socket errors, timeouts) over all attempts. */
  errorRate: number;
  errors: LoadErrors;
  latencyMs: LatencySummary;
  /** The run ended before its duration because its pre-minted bodies ran out. */
  exhausted: boolean;
}

/** Messages from the parent. */
export type ToGenerator = { type: 'run'; id: number; jobs: LoadJob[] } | { type: 'stop' };

/** Messages to the parent. */
export type FromGenerator =
  | { type: 'ready' }
  | { type: 'progress'; id: number; responses: number; elapsed: number }
  | { type: 'done'; id: number; results: LoadResult[] }
  | { type: 'failed'; id: number; message: string };
