/**
 * The progress bar on stderr: one line redrawn in place on a terminal, one line per finished
 * measurement otherwise (CI logs, tests), so that stdout keeps only the tables.
 */

const WIDTH = 24;

/** Draws the progress of the measurement in hand. */
export class ProgressBar {
  private label = '';
  private seconds = 1;
  private readonly live: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.live = stream.isTTY === true;
  }

  /** Starts a measurement expected to last `seconds`. */
  start(label: string, seconds: number): void {
    this.label = label;
    this.seconds = Math.max(seconds, 0.001);
    this.update(0, 0);
  }

  /** Redraws with the responses so far (terminals only). */
  update(responses: number, elapsed: number): void {
    if (!this.live) return;
    const done = Math.min(1, elapsed / this.seconds);
    const filled = Math.round(done * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const count = responses.toLocaleString('en-US');
    const time = `${elapsed.toFixed(1)}/${this.seconds.toFixed(1)} s`;
    this.stream.write(`\r\x1b[K${bar} ${this.label}  ${time}  ${count} responses`);
  }

  /** Ends the line with a summary of the measurement. */
  finish(summary: string): void {
    if (this.live) this.stream.write('\r\x1b[K');
    this.stream.write(`${this.label}  ${summary}\n`);
  }

  /** A line of its own (a phase starting), clearing any bar in progress. */
  note(line: string): void {
    if (this.live) this.stream.write('\r\x1b[K');
    this.stream.write(`${line}\n`);
  }
}
