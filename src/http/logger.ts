import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

/**
 * Everything that may carry a secret, redacted at the logger so that no code path can leak one:
 * tokens, codes, verifiers, secrets, passwords, cookies and the Authorization header.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.client_secret',
  '*.code',
  '*.code_verifier',
  '*.refresh_token',
  '*.access_token',
  '*.id_token',
  '*.token',
  '*.secret',
];

/** Loggers made by createLogger, whose request lines may be buffered on stdout. */
const stdoutLoggers = new WeakSet<Logger>();

/** The process logger: JSON lines on stdout, each written at once. */
export function createLogger(level: LogLevel): Logger {
  const logger = pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  stdoutLoggers.add(logger);
  return logger;
}

/** How much of the request log is held before it is written, and how long at most. */
const REQUEST_LOG_BUFFER_BYTES = 8 * 1024;
const REQUEST_LOG_FLUSH_MS = 1_000;

/**
 * The logger for the one line per request, at the same level as `logger`, without redaction, and
 * for a logger made by createLogger, with its own buffered writer on stdout (any other logger's
 * stream, such as a test's, is written to as it is).
 *
 * That line is built from fixed, non-secret fields (method, route, status, duration, client id,
 * error code), so the redaction walk adds only cost. Writing it synchronously took one write(2)
 * per request, about a tenth of a client_credentials request's CPU time in a profile; buffered,
 * it is one write per 8 KiB or per second. Lines still in the buffer are written when the
 * process exits (pino flushes its asynchronous destinations on exit); a process killed with
 * SIGKILL loses at most the last second of request lines. Everything else (start-up, errors) is
 * written at once by the process logger.
 */
export function requestLineLogger(logger: Logger): Logger {
  const options = {
    level: logger.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!stdoutLoggers.has(logger) || !logger.isLevelEnabled('info')) {
    const streams = logger as unknown as Record<symbol, pino.DestinationStream>;
    return pino(options, streams[pino.symbols.streamSym]);
  }

  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: REQUEST_LOG_BUFFER_BYTES,
  });
  setInterval(() => destination.flush(), REQUEST_LOG_FLUSH_MS).unref();
  return pino(options, destination);
}
