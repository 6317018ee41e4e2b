import { RequestNotSupported, RequestUriNotSupported } from '../errors.js';

/**
 * Request objects (OIDC Core §6, RFC 9101) are not supported, and discovery says so
 * (`request_parameter_supported`, `request_uri_parameter_supported`: false). Core §6.1 and §6.2
 * require an error rather than silence: a client that signed its parameters into `request`
 * expects them to be the ones honoured, not the unsigned copies beside them.
 */
export function checkNoRequestObject(params: Record<string, string>): void {
  if (params.request !== undefined) throw new RequestNotSupported();
  if (params.request_uri !== undefined) throw new RequestUriNotSupported();
}
