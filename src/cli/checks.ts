/**
 * Checks on option values shared by the commands. Each answers the value to store or throws a
 * UsageError naming the option, so that a mistake costs one line and exit code 2.
 */
import { UsageError } from './command.js';

/** C0 and C1 control characters: never part of a name, and unsafe to echo to a terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A display text (client name, user name, description): trimmed, not empty, printable. */
export function checkText(option: string, value: string, maxLength: number): string {
  const text = value.trim();
  if (text === '') throw new UsageError(`--${option} is empty`);
  if (CONTROL.test(text)) throw new UsageError(`--${option} contains control characters`);
  if (text.length > maxLength) {
    throw new UsageError(`--${option} is longer than ${maxLength} characters`);
  }
  return text;
}

/** A name people type and scripts pass around: printable and without spaces. */
export function checkIdentifier(option: string, value: string, maxLength: number): string {
  const text = checkText(option, value, maxLength);
  if (/\s/.test(text)) throw new UsageError(`--${option} must not contain spaces`);
  return text;
}

/**
 * A scope name as RFC 6749 §3.3 defines a scope-token: printable ASCII except space, `"` and
 * `\`.
 */
export function checkScopeName(option: string, value: string): string {
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value)) {
    throw new UsageError(
      `--${option}: "${printable(value)}" is not a valid scope name ` +
        '(printable ASCII without spaces, quotes or backslashes)',
    );
  }
  if (value.length > 100) throw new UsageError(`--${option} is longer than 100 characters`);
  return value;
}

/** A value shown inside an error message, with control characters made visible. */
export function printable(value: string): string {
  return value.replace(new RegExp(CONTROL.source, 'g'), '?');
}
