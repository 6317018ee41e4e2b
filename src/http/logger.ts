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

/** Whether `logger` was made by createLogger (writes to stdout, where request lines may go). */
export function isStdoutLogger(logger: Logger): boolean {
  return stdoutLoggers.has(logger);
}
