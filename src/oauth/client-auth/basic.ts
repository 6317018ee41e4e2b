import { InvalidClient } from '../errors.js';

export interface PresentedCredentials {
  clientId: string;
  clientSecret: string | null;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/**
 * client_secret_basic (RFC 6749 §2.3.1): the id and secret are each form-url-encoded, then joined
 * with a colon and base64-encoded. Answers null when there is no Basic header.
 */
export function readBasic(authorization: string | undefined): PresentedCredentials | null {
  if (!authorization) return null;
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (!match) throw new InvalidClient('malformed Authorization header', true);

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClient('Basic credentials without a colon', true);
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    const clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    if (!clientId) throw new InvalidClient('empty client id in Basic credentials', true);
    return { clientId, clientSecret, method: 'client_secret_basic' };
  } catch (error) {
    if (error instanceof InvalidClient) throw error;
    throw new InvalidClient('Basic credentials are not form-url-encoded', true);
  }
}
