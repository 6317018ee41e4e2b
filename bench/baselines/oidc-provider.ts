/**
 * The peer baseline: oidc-provider (v9), the reference OpenID Connect server for Node.js, in one
 * process with its state in memory. It serves the endpoints Authly shares with it: discovery,
 * JWKS, client_credentials, introspection and the authorization code exchange, for which it mints
 * codes on request over IPC (`{ type: 'mint', count }`), the way its own /authorize would store
 * them after a sign-in and consent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { MapAdapter } from './memory-adapter.js';
import { BENCH_CLIENT, BENCH_SCOPE, BENCH_USER } from '../seed/constants.js';

const port = Number(process.env.BENCH_PORT ?? 0);
const issuer = `http://127.0.0.1:${port}`;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: BENCH_CLIENT.confidential.clientId,
      client_secret: BENCH_CLIENT.confidential.secret,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      redirect_uris: [BENCH_CLIENT.redirectUri],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: BENCH_SCOPE.all.join(' '),
    },
  ],
  jwks: { keys: [{ ...rsa.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'rs1' }] },
  scopes: BENCH_SCOPE.all,
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { AuthorizationCode: 3600, Grant: 86400, AccessToken: 3600, ClientCredentials: 3600 },
  async findAccount(_ctx: unknown, sub: string) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: BENCH_USER.name, email: BENCH_USER.email, email_verified: true };
      },
    };
  },
});

/** Codes for the bench client, each with the bench PKCE challenge and the code-flow scope. */
async function mintCodes(count: number, codeChallenge: string): Promise<string[]> {
  const grant = new provider.Grant({
    accountId: BENCH_USER.username,
    clientId: BENCH_CLIENT.confidential.clientId,
  });
  grant.addOIDCScope(BENCH_SCOPE.codeFlow.join(' '));
  const grantId = await grant.save();

  const codes: string[] = [];
  const authTime = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const code = new provider.AuthorizationCode({
      accountId: BENCH_USER.username,
      clientId: BENCH_CLIENT.confidential.clientId,
      grantId,
      redirectUri: BENCH_CLIENT.redirectUri,
      scope: BENCH_SCOPE.codeFlow.join(' '),
      codeChallenge,
      codeChallengeMethod: 'S256',
      authTime,
    });
    codes.push(await code.save());
  }
  return codes;
}

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});

process.on('message', (message: { type: string; count: number; codeChallenge: string }) => {
  if (message.type !== 'mint') return;
  mintCodes(message.count, message.codeChallenge).then(
    (codes) => process.send?.({ type: 'minted', codes }),
    (error: Error) => process.send?.({ type: 'mint-failed', message: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
