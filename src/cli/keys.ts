/** `authly keys rotate|list`: the signing keys shared by every server through the database. */
import { KeyRing, rotateKeys } from '../crypto/key-ring.js';
import type { Config } from '../config/config.js';
import type { SigningKey } from '../store/types.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK, type CommandGroup } from './command.js';
import { formatTime, print, printJson, printTable } from './output.js';
import { withStore } from './store.js';

/**
 * Added to the longest token lifetime before a replaced key leaves the JWKS: running servers
 * re-read the keys every minute (src/app.ts), so they may sign with the old key for up to a
 * minute after a rotation, and verifiers' clocks may run a little behind.
 */
const PUBLISH_GRACE_SECONDS = 5 * 60;

const rotateHelp = `Usage: authly keys rotate

Adds a new ES256 key (access tokens) and a new RS256 key (ID tokens). They sign every token
from now on; running servers pick them up within a minute. The keys they replace stay in the
JWKS until every token they signed has expired: the longer of AUTHLY_ACCESS_TOKEN_TTL and
AUTHLY_ID_TOKEN_TTL, plus ${PUBLISH_GRACE_SECONDS / 60} minutes.

With AUTHLY_KEY_ENCRYPTION_SECRET set, the new private keys are encrypted at rest; when the
stored keys are encrypted, the same secret must be set here.

Options:
  -h, --help    Show this help

Example:
  authly keys rotate && authly keys list`;

const listHelp = `Usage: authly keys list [--json]

Lists every signing key: kid, algorithm, status (active: signs new tokens; published: retired
but still in the JWKS; removed: no longer published), when it was created, when it was retired,
and when it leaves (or left) the JWKS. Times are UTC. Private keys are never shown.

Options:
  --json        Print a JSON array instead of a table
  -h, --help    Show this help

Example:
  authly keys list`;

export const keysGroup: CommandGroup = {
  summary: 'Rotate and list the token signing keys',
  example: '  authly keys rotate',
  subcommands: {
    rotate: {
      summary: 'Replace the signing keys, keeping the old ones published',
      help: rotateHelp,
      run: rotate,
    },
    list: { summary: 'List the signing keys', help: listHelp, run: list },
  },
};

async function rotate(args: string[]): Promise<number> {
  parseCommandArgs('keys rotate', { args, options: {} });

  const { created, publishedUntil } = await withStore(async (store, config) => {
    const now = new Date();
    // Loading the ring first creates the first keys on a new database and proves that the
    // secret opens the stored keys, so that no server is left with keys it cannot read.
    await KeyRing.load(store, config.keyEncryptionSecret, () => now);
    const publishFor = publishSeconds(config);
    const created = await rotateKeys(store, config.keyEncryptionSecret, publishFor, now);
    return { created, publishedUntil: new Date(now.getTime() + publishFor * 1000) };
  });

  print('New signing keys, signing from now on (running servers switch within a minute):');
  for (const key of created) print(`  ${key.alg}  ${key.kid}`);
  print(`The keys they replace stay published in the JWKS until ${formatTime(publishedUntil)}.`);
  return EXIT_OK;
}

/** How long a replaced key must stay published: the longest lifetime of a token it signed. */
function publishSeconds(config: Config): number {
  return Math.max(config.accessTokenTtl, config.idTokenTtl) + PUBLISH_GRACE_SECONDS;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('keys list', {
    args,
    options: { json: { type: 'boolean' } },
  });
  const keys = await withStore((store) => store.keys.listAll());
  const now = new Date();

  if (values.json) {
    printJson(keys.map((key) => describe(key, now)));
  } else if (keys.length === 0) {
    print('No signing keys yet: the first start of "authly serve" creates them.');
  } else {
    printTable(
      ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED', 'LEAVES_JWKS'],
      keys.map((key) => [
        key.kid,
        key.alg,
        status(key, now),
        formatTime(key.createdAt),
        key.retiredAt ? formatTime(key.retiredAt) : '-',
        key.expiresAt ? formatTime(key.expiresAt) : '-',
      ]),
    );
  }
  return EXIT_OK;
}

function status(key: SigningKey, now: Date): 'active' | 'published' | 'removed' {
  if (key.retiredAt === null) return 'active';
  return key.expiresAt !== null && key.expiresAt <= now ? 'removed' : 'published';
}

/** The public facts of a key; its private half never leaves the database. */
function describe(key: SigningKey, now: Date): Record<string, unknown> {
  return {
    kid: key.kid,
    alg: key.alg,
    use: key.use,
    status: status(key, now),
    encrypted: key.encrypted,
    created_at: key.createdAt.toISOString(),
    retired_at: key.retiredAt?.toISOString() ?? null,
    leaves_jwks_at: key.expiresAt?.toISOString() ?? null,
  };
}
