import { InvalidRequest } from '../errors.js';
import type { ResponseMode } from './authorization-request.js';

const MODES: readonly ResponseMode[] = ['query', 'form_post'];

/**
 * `query` (the default for `code`) or `form_post` (OAuth 2.0 Form Post Response Mode). Checked
 * first among the redirectable checks, so that the errors after it travel the way the client
 * asked. `fragment` is refused: OAuth 2.1 puts no authorization response in a fragment.
 */
export function checkResponseMode(params: Record<string, string>): ResponseMode {
  const mode = params.response_mode ?? 'query';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new InvalidRequest('response_mode must be query or form_post');
  }
  return mode as ResponseMode;
}
