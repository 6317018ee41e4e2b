/**
 * The fixed values of a benchmark run: clients, scopes, the user and the PKCE pair. They are the
 * same for Authly and the baselines so that both serve alike requests; the databases they go into
 * are made for the run and thrown away, so none of them is a secret.
 */
import { createHash } from 'node:crypto';

/** Where the benchmark's clients say they receive codes; never contacted. */
const REDIRECT_URI = 'https://rp.example/callback';

/** The benchmark's clients. */
export const BENCH_CLIENT = {
  redirectUri: REDIRECT_URI,
  confidential: { clientId: 'bench-confidential', secret: 'bench-confidential-secret-not-for-use' },
  public: { clientId: 'bench-public' },
  password: { clientId: 'bench-password', secret: 'bench-password-secret-not-for-use' },
} as const;

/** The scopes each flow asks for. */
export const BENCH_SCOPE = {
  all: ['openid', 'profile', 'email', 'offline_access', 'api.read'],
  codeFlow: ['openid', 'profile', 'email'],
  refresh: ['openid', 'profile', 'email', 'offline_access'],
  clientCredentials: ['api.read'],
  password: ['openid', 'profile', 'email'],
};

/** The signed-in user, also the password-grant user. */
export const BENCH_USER = {
  username: 'bench-user',
  password: 'bench-password-correct-horse',
  email: 'bench@example.com',
  name: 'Bench User',
};

/** The PKCE verifier of every pre-minted code (RFC 7636 §4.1: 43–128 characters). */
export const CODE_VERIFIER = 'bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
/** Its S256 challenge (RFC 7636 §4.2). */
export const CODE_CHALLENGE = createHash('sha256').update(CODE_VERIFIER).digest('base64url');

/** The HTTP Basic credentials of a client (RFC 6749 §2.3.1: form-encoded, then base64). */
export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}
