/**
 * The per-request logger made on first use: it writes what a pino child would (with the request
 * id bound), and a call at a level that is off makes no child at all.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { lazyChildLogger } from '../src/http/lazy-child-logger.js';

/** A pino logger at `level` whose lines land in `lines`, and a count of the children it made. */
function recordingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const logger = pino({ level }, sink);
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children++;
    return child(...args);
  }) as typeof logger.child;
  return { logger, lines, children: () => children };
}

describe('lazy per-request logger', () => {
  test('writes with the bindings of the child it stands for', async () => {
    const { logger, lines, children } = recordingLogger('info');
    const log = lazyChildLogger(logger as unknown as FastifyBaseLogger, { reqId: 'r-1' }, {});
    assert.equal(children(), 0);
    assert.equal(log.level, 'info');

    log.warn({ event: 'x.happened' }, 'first');
    log.error('second');
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(children(), 1);
    assert.deepEqual(
      lines.map(({ reqId, event, msg, level }) => ({ reqId, event, msg, level })),
      [
        { reqId: 'r-1', event: 'x.happened', msg: 'first', level: 40 },
        { reqId: 'r-1', event: undefined, msg: 'second', level: 50 },
      ],
    );
  });

  test('a level that is off makes no child and writes nothing', async () => {
    const { logger, lines, children } = recordingLogger('info');
    const log = lazyChildLogger(logger as unknown as FastifyBaseLogger, { reqId: 'r-2' }, {});
    log.debug('not shown');
    log.trace('not shown either');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(children(), 0);
    assert.equal(lines.length, 0);
  });

  test('a route log level is honoured', async () => {
    const { logger, lines } = recordingLogger('info');
    const log = lazyChildLogger(logger as unknown as FastifyBaseLogger, { reqId: 'r-3' }, {
      level: 'debug',
    });
    assert.equal(log.level, 'debug');
    log.debug('shown at debug');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(lines.map(({ msg }) => msg), ['shown at debug']);
  });
});
