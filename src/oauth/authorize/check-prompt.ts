import { InvalidRequest } from '../errors.js';
import type { PromptValue } from './authorization-request.js';

const PROMPTS: readonly PromptValue[] = ['none', 'login', 'consent'];

/** max_age in seconds: a non-negative integer (OIDC Core §3.1.2.1). */
const MAX_AGE = /^\d{1,10}$/;

/**
 * OIDC Core §3.1.2.1 `prompt` and `max_age`. `none` cannot be combined with another value;
 * `select_account` is not offered (one account per session) and is refused like any unknown
 * value, so that a client never believes it was honoured.
 */
export function checkPrompt(params: Record<string, string>): {
  prompt: Set<PromptValue>;
  maxAge: number | undefined;
} {
  const values = (params.prompt ?? '').split(' ').filter((v) => v !== '');
  for (const value of values) {
    if (!(PROMPTS as readonly string[]).includes(value)) {
      throw new InvalidRequest(`prompt value ${value} is not supported`);
    }
  }
  const prompt = new Set(values as PromptValue[]);
  if (prompt.has('none') && prompt.size > 1) {
    throw new InvalidRequest('prompt=none cannot be combined with other values');
  }

  const raw = params.max_age;
  if (raw !== undefined && !MAX_AGE.test(raw)) {
    throw new InvalidRequest('max_age must be a non-negative number of seconds');
  }
  return { prompt, maxAge: raw === undefined ? undefined : Number(raw) };
}
