/**
 * The request log of `authly serve`: one JSON line per request on stdout, written in batches,
 * never holding a credential, and nothing lost when the process is stopped.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from './helpers/engines.js';
import { freePort } from './helpers/free-port.js';
import { startServe, type Served } from './helpers/serve.js';

interface RequestLine {
  msg: string;
  method: string;
  endpoint: string;
  status: number;
  ms: number;
  error?: string;
}

function requestLines(output: string): RequestLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RequestLine)
    .filter((line) => line.msg === 'request');
}

/** Waits (a few seconds at most) until the output holds `count` request lines. */
async function waitForLines(served: Served, count: number): Promise<RequestLine[]> {
  for (let i = 0; i < 100; i++) {
    const lines = requestLines(served.output());
    if (lines.length >= count) return lines;
    await sleep(50);
  }
  return requestLines(served.output());
}

describe('request log', () => {
  const secret = 'a-secret-that-must-never-be-logged';
  let served: Served;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    served = await startServe(tempDir('authly-log-'), port, { AUTHLY_ISSUER: base });
  });

  after(() => {
    if (served.child.exitCode === null) served.child.kill('SIGKILL');
  });

  test('one line per request, with route, status and OAuth error, no credential', async () => {
    await fetch(`${base}/.well-known/openid-configuration`);
    await fetch(`${base}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`nobody:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=refresh_token&refresh_token=${secret}`,
    });

    const lines = await waitForLines(served, 2);
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map(({ method, endpoint, status, error }) => ({ method, endpoint, status, error })),
      [
        {
          method: 'GET',
          endpoint: '/.well-known/openid-configuration',
          status: 200,
          error: undefined,
        },
        { method: 'POST', endpoint: '/token', status: 401, error: 'invalid_client' },
      ],
    );
    assert.ok(lines.every((line) => typeof line.ms === 'number'));
    assert.ok(!served.output().includes(secret));
    assert.ok(!served.output().includes(Buffer.from(`nobody:${secret}`).toString('base64')));
  });

  test('a log reader that falls behind makes no line go missing', async () => {
    // The pipe holds 64 KiB; 1,500 lines are several times that. While nobody reads, the server
    // either waits on the full pipe or retries later; either way every line must come through.
    const count = 1_500;
    const tag = `order-${Date.now()}`;
    served.child.stdout!.pause();
    const requests = Array.from({ length: count }, async (_, i) => {
      const headers = { 'x-request-id': `${tag}-${i}` };
      const response = await fetch(`${base}/health`, { headers });
      await response.arrayBuffer();
      return response.status;
    });
    await sleep(500);
    served.child.stdout!.resume();
    const statuses = await Promise.all(requests);
    assert.deepEqual(new Set(statuses), new Set([200]));

    let tagged: string[] = [];
    for (let i = 0; i < 100 && tagged.length < count; i++) {
      await sleep(50);
      tagged = requestLines(served.output())
        .map((line) => (line as RequestLine & { reqId?: string }).reqId ?? '')
        .filter((id) => id.startsWith(`${tag}-`));
    }
    assert.equal(tagged.length, count);
    assert.equal(new Set(tagged).size, count);
  });

  test('lines still buffered are written when the server stops', async () => {
    const before = requestLines(served.output()).length;
    await fetch(`${base}/health`);
    served.child.kill('SIGTERM');
    await once(served.child, 'exit');

    const lines = requestLines(served.output());
    assert.equal(lines.length, before + 1);
    assert.equal(lines.at(-1)?.endpoint, '/health');
  });
});
