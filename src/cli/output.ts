/**
 * What commands print: lines and aligned tables for people, JSON for scripts. Results go to
 * stdout; warnings and errors go to stderr.
 */

/** Writes one line to stdout. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one line to stderr, prefixed like every other CLI message. */
export function warn(message: string): void {
  process.stderr.write(`authly: warning: ${message}\n`);
}

/** Writes a value as indented JSON, one document per command run. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes rows as left-aligned columns under a header line. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();

  print(line(headers));
  for (const row of rows) print(line(row));
}

/** A time as UTC ISO 8601 to the second, the form used in every table. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
