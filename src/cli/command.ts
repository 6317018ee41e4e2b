/**
 * What a CLI command is, and the two ways one fails. Every failure prints as one line,
 * `authly: <message>`, and never as a stack trace.
 */

/** Exit codes: 0 success, 1 runtime failure, 2 usage mistake (unknown command, option or value). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command that runs: `authly serve`, `authly user create`. */
export interface Command {
  /** One line, for the listing in the parent's help. */
  summary: string;
  /** The whole `--help` text: usage, options with their defaults, and an example. */
  help: string;
  /** Runs with the arguments that follow the command's name; answers the exit code. */
  run(args: string[]): Promise<number>;
  /**
   * The command reads `--help` itself (it forwards its arguments to another module); otherwise
   * `authly` answers `--help` with `help` before the command runs.
   */
  handlesHelp?: boolean;
}

/** A group of subcommands: `authly user create|list`. */
export interface CommandGroup {
  /** One line, for the listing in `authly --help`. */
  summary: string;
  /** Example lines for the group's `--help`. */
  example: string;
  subcommands: Record<string, Command>;
}

/** Whether an entry of the command table runs itself or holds subcommands. */
export function isCommand(entry: Command | CommandGroup): entry is Command {
  return 'run' in entry;
}

/** The command line was wrong: unknown option, missing or bad value. Exit code 2. */
export class UsageError extends Error {
  readonly code = 'ERR_CLI_USAGE';
}

/** The command was understood but could not be carried out. Exit code 1. */
export class CommandFailed extends Error {
  readonly code = 'ERR_CLI_FAILED';
}
