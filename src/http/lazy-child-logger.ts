/**
 * The per-request logger (`request.log`), made only when a request logs something. Fastify gives
 * every request a child of the process logger bound to its request id; with redaction set up,
 * pino's child() costs about 1 µs, paid by every request although nearly all of them log nothing
 * beyond the request line (written elsewhere, see request-log.ts). This stands in for the child
 * and creates it on first use, with the same bindings.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Log = (...args: unknown[]) => void;

/** A FastifyBaseLogger that becomes `parent.child(bindings, options)` when first used. */
class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  /** Writes through the child, made only if the level is on (a debug call costs nothing). */
  private log(level: Level, args: unknown[]): void {
    if (!this.made && !this.enabled(level)) return;
    (this.logger[level] as Log)(...args);
  }

  private enabled(level: Level): boolean {
    const check = (this.parent as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
    return this.options.level !== undefined || !check || check.call(this.parent, level);
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`, answering a lazy child. */
export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
