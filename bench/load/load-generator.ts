/**
 * The benchmark's side of the load generator: one long-lived process (bench/load/generator.ts)
 * that runs the jobs it is sent, so that its start-up is paid once and not per measurement.
 */
import { startChild, type Child } from '../processes.js';
import type { FromGenerator, LoadJob, LoadResult } from './job.js';

/** Called a few times a second while a job runs. */
export type ProgressListener = (responses: number, elapsedSeconds: number) => void;

/** A handle on the load-generator process. */
export class LoadGenerator {
  private nextId = 1;

  private constructor(private readonly child: Child) {}

  /** Starts the load-generator process. */
  static async start(): Promise<LoadGenerator> {
    const entry = new URL('./generator.js', import.meta.url);
    return new LoadGenerator(await startChild(entry, { showErrors: true }));
  }

  /**
   * Runs `jobs` at the same time (the first is the main load and reports progress; the others
   * are probes beside it) and answers their results in the same order.
   */
  run(jobs: LoadJob[], onProgress?: ProgressListener): Promise<LoadResult[]> {
    const id = this.nextId++;
    const child = this.child.process;

    return new Promise<LoadResult[]>((resolve, reject) => {
      const onMessage = (message: FromGenerator) => {
        if (!('id' in message) || message.id !== id) return;
        if (message.type === 'progress') return onProgress?.(message.responses, message.elapsed);
        cleanup();
        if (message.type === 'done') resolve(message.results);
        else reject(new Error(`load generator: ${message.message}`));
      };
      const onExit = () => {
        cleanup();
        reject(new Error('the load generator exited during a run'));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      this.child.send({ type: 'run', id, jobs });
    });
  }

  /** Stops the process. */
  stop(): Promise<void> {
    return this.child.stop();
  }
}
