/**
 * The floor: bare node:http answering fixed bytes (Authly's own discovery and JWKS responses,
 * body and headers, fetched from it at the start of the run), with as many processes as Authly
 * runs (node:cluster), so that a ratio to it is the cost of everything Authly does beyond writing
 * those bytes.
 *
 * Environment: BENCH_PORT, BENCH_WORKERS, BENCH_DOCUMENTS (JSON: path → { body, headers }).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';

interface Document {
  body: string;
  headers: Record<string, string>;
}

const port = Number(process.env.BENCH_PORT);
const workers = Number(process.env.BENCH_WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) process.send?.({ type: 'ready' });
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
} else {
  const documents = new Map<string, { body: Buffer; headers: Record<string, string> }>();
  const given = JSON.parse(process.env.BENCH_DOCUMENTS ?? '{}') as Record<string, Document>;
  for (const [path, document] of Object.entries(given)) {
    const body = Buffer.from(document.body);
    const headers = { ...document.headers, 'content-length': String(body.length) };
    documents.set(path, { body, headers });
  }

  const server = createServer((request, response) => {
    const document = documents.get(request.url ?? '');
    if (!document) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, document.headers);
    response.end(document.body);
  });
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isPrimary) process.send?.({ type: 'ready' });
  });
  process.on('SIGTERM', () => process.exit(0));
  if (cluster.isPrimary) process.on('disconnect', () => process.exit(0));
}
