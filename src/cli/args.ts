/**
 * Argument parsing for every command: node:util parseArgs in strict mode, with its errors turned
 * into one-line usage errors that say which command to ask for help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

interface OptionToken {
  kind: string;
  name?: string;
}

/**
 * Parses `config.args` for `authly <command>`. Unknown options, missing values and stray
 * arguments are usage errors, and so is a single-valued option given twice (rather than letting
 * the last one silently win).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): Parsed<T> {
  let parsed: Parsed<T> & { tokens?: OptionToken[] };
  try {
    parsed = parseArgs({ ...config, strict: true, tokens: true }) as unknown as typeof parsed;
  } catch (error) {
    throw new UsageError(`${describeParseError(error)} (see authly ${command} --help)`);
  }

  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (config.options?.[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`option --${token.name} is given twice`);
    seen.add(token.name);
  }
  delete parsed.tokens;
  return parsed;
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message ?? '')?.[1] ?? '';
  const option = quoted.split(' ')[0];

  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(message ?? '')) return `option ${option} needs a value`;
      if (/ambiguous/.test(message ?? '')) {
        return `option ${option}: write a value that starts with "-" as ${option}=<value>`;
      }
      if (/does not take an argument/.test(message ?? '')) return `option ${option} takes no value`;
      return (message ?? 'bad option').split('\n')[0];
    default:
      throw error;
  }
}

/** The value of a required option, or a usage error naming it. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`missing --${name} (see authly ${command} --help)`);
  return value;
}
