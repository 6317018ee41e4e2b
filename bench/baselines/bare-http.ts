/**
 * The floor: bare node:http answering fixed bytes (Authly's own discovery document and JWKS,
 * fetched from it at the start of the run), with as many processes as Authly runs (node:cluster),
 * so that a ratio to it is the cost of everything Authly does beyond writing those bytes.
 *
 * Environment: BENCH_PORT, BENCH_WORKERS, BENCH_DOCUMENTS (JSON: path → { body, contentType }).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';

interface Document {
  body: string;
  contentType: string;
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
  const documents = new Map<string, { body: Buffer; contentType: string }>();
  const given = JSON.parse(process.env.BENCH_DOCUMENTS ?? '{}') as Record<string, Document>;
  for (const [path, document] of Object.entries(given)) {
    documents.set(path, { body: Buffer.from(document.body), contentType: document.contentType });
  }

  const server = createServer((request, response) => {
    const document = documents.get(request.url ?? '');
    if (!document) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': document.contentType,
      'content-length': document.body.length,
      'cache-control': 'public, max-age=300',
    });
    response.end(document.body);
  });
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isPrimary) process.send?.({ type: 'ready' });
  });
  process.on('SIGTERM', () => process.exit(0));
  if (cluster.isPrimary) process.on('disconnect', () => process.exit(0));
}
