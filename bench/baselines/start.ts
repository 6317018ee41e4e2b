/** Starts the baseline servers of a run: bare node:http and oidc-provider. */
import { freePort, startChild, type Child } from '../processes.js';
import { CODE_CHALLENGE } from '../seed/constants.js';

/** A running baseline. */
export interface Baseline {
  url: string;
  child: Child;
}

/** A response bare node:http gives: its body and headers (content-length among them). */
export interface BareDocument {
  body: string;
  headers: Record<string, string>;
}

/**
 * Bare node:http serving `documents` (path → response) with `workers` processes, the same count
 * as Authly's.
 */
export async function startBare(
  documents: Record<string, BareDocument>,
  workers: number,
): Promise<Baseline> {
  const port = await freePort();
  const child = await startChild(new URL('./bare-http.js', import.meta.url), {
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      BENCH_WORKERS: String(workers),
      BENCH_DOCUMENTS: JSON.stringify(documents),
    },
    showErrors: true,
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** oidc-provider in one process, state in memory. Its Node 20 warning is not shown. */
export async function startOidcProvider(): Promise<Baseline> {
  const port = await freePort();
  const child = await startChild(new URL('./oidc-provider.js', import.meta.url), {
    env: { ...process.env, BENCH_PORT: String(port) },
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Has oidc-provider store `count` authorization codes for the bench client and answers them. */
export async function mintOidcProviderCodes(baseline: Baseline, count: number): Promise<string[]> {
  const minted = baseline.child.next<{ type: string; codes: string[] }>('minted');
  baseline.child.send({ type: 'mint', count, codeChallenge: CODE_CHALLENGE });
  return (await minted).codes;
}
