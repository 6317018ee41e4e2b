/**
 * The one line per request, at info level. For the process logger of `authly serve` (JSON on
 * stdout) the line is written by hand into a buffer of its own; for any other logger (a test's,
 * a silent one) it goes through pino as usual.
 *
 * Why by hand: profiled at 20,000–40,000 requests/s per process, pino's general path cost about
 * 3 µs per line (its serializer, a new ISO timestamp, and its buffered stream's bookkeeping), a
 * fifth of what a discovery request costs in all. The line has fixed, non-secret fields, so
 * building it is a few concatenations (strings through JSON.stringify) and the timestamp is
 * reused within a millisecond: about 0.3 µs. It has the shape pino gives every other line
 * (level, time, pid, msg), so log tooling reads both alike.
 */
import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { isStdoutLogger } from './logger.js';

/** What a request line carries. */
export interface RequestFields {
  reqId?: string;
  method: string;
  endpoint: string;
  status: number;
  /** Time to answer, in milliseconds. */
  ms: number;
  /** The authenticated or named client. */
  clientId?: string;
  /** The OAuth error code answered. */
  error?: string;
}

/** Writes request lines. */
export interface RequestLog {
  write(fields: RequestFields): void;
}

/** pino's number for info. */
const INFO = 30;
/** How much of the log is held before it is written, and how long at most. */
const BUFFER_CHARS = 8 * 1024;
const FLUSH_MS = 1_000;
/** How long to wait before writing again when the descriptor is full (EAGAIN). */
const RETRY_MS = 10;

/** The request log for `logger`: see the module comment. */
export function requestLog(logger: Logger): RequestLog {
  if (!logger.isLevelEnabled('info')) return { write() {} };
  if (!isStdoutLogger(logger)) return throughPino(logger);

  const out = new LineBuffer(1);
  const clock = new IsoClock();
  const prefix = `{"level":${INFO},"time":"`;
  const pid = `","pid":${process.pid}`;
  return {
    write(fields) {
      let line = prefix + clock.now() + pid;
      if (fields.reqId !== undefined) line += ',"reqId":' + JSON.stringify(fields.reqId);
      line += ',"method":' + JSON.stringify(fields.method);
      line += ',"endpoint":' + JSON.stringify(fields.endpoint);
      line += ',"status":' + fields.status + ',"ms":' + Math.round(fields.ms * 100) / 100;
      if (fields.clientId !== undefined) line += ',"clientId":' + JSON.stringify(fields.clientId);
      if (fields.error !== undefined) line += ',"error":' + JSON.stringify(fields.error);
      out.write(line + ',"msg":"request"}\n');
    },
  };
}

/** The fallback: a pino logger on the same stream, without redaction (nothing here is secret). */
function throughPino(logger: Logger): RequestLog {
  const streams = logger as unknown as Record<symbol, pino.DestinationStream>;
  const lines = pino(
    { level: logger.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    streams[pino.symbols.streamSym],
  );
  return {
    write({ ms, ...fields }) {
      lines.info({ ...fields, ms: Math.round(ms * 100) / 100 }, 'request');
    },
  };
}

/** The current time as an ISO string, made once per millisecond. */
class IsoClock {
  private millis = 0;
  private iso = '';

  now(): string {
    const millis = Date.now();
    if (millis !== this.millis) {
      this.millis = millis;
      this.iso = new Date(millis).toISOString();
    }
    return this.iso;
  }
}

/**
 * Lines held in memory and written to a file descriptor when BUFFER_CHARS have gathered, every
 * FLUSH_MS, and when the process exits. Writes are made at once, as Node writes its own stdout
 * to files and pipes on Linux and as pino's default destination does: such a write returns as
 * soon as the kernel has the bytes. (Handing each batch to the thread pool instead cost more than
 * the write: profiled at 50 connections on discovery, waking a pool thread took the event loop
 * off the CPU for about 4 µs per request.) What a full non-blocking descriptor (EAGAIN) or a
 * partial write leaves is retried shortly, and nothing newer is written before it, so lines keep
 * their order. A process killed with SIGKILL loses at most the last second of lines.
 */
class LineBuffer {
  private held = '';
  /** What a write left, waiting for its retry. */
  private pending: Buffer | null = null;

  constructor(private readonly fd: number) {
    setInterval(() => this.flush(), FLUSH_MS).unref();
    process.once('exit', () => this.flushSync());
  }

  write(line: string): void {
    this.held += line;
    if (this.held.length >= BUFFER_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending || this.held === '') return;
    const chunk = Buffer.from(this.held);
    this.held = '';
    this.send(chunk);
  }

  private send(chunk: Buffer): void {
    const rest = this.writeOnce(chunk);
    if (rest.length > 0) {
      this.pending = rest;
      setTimeout(() => this.send(rest), RETRY_MS);
      return;
    }
    this.pending = null;
    if (this.held.length >= BUFFER_CHARS) this.flush();
  }

  /**
   * Answers what is left to write: nothing once written, the rest after a partial write, all of
   * it on EAGAIN. Any other failure (a closed descriptor) drops the chunk, since logging must not
   * stop serving.
   */
  private writeOnce(chunk: Buffer): Buffer {
    try {
      return chunk.subarray(writeSync(this.fd, chunk));
    } catch (error) {
      const full = (error as NodeJS.ErrnoException).code === 'EAGAIN';
      return full ? chunk : Buffer.alloc(0);
    }
  }

  /** Writes what is still pending and held before the process ends, waiting out EAGAIN. */
  private flushSync(): void {
    let chunk: Buffer = Buffer.concat([this.pending ?? Buffer.alloc(0), Buffer.from(this.held)]);
    this.pending = null;
    this.held = '';
    for (let tries = 0; chunk.length > 0 && tries < 1_000; tries++) {
      const rest = this.writeOnce(chunk);
      if (rest.length === chunk.length) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
      chunk = rest;
    }
  }
}
