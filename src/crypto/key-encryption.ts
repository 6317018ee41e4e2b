/**
 * Private signing keys at rest: AES-256-GCM under a key derived from AUTHLY_KEY_ENCRYPTION_SECRET
 * with scrypt and a per-key salt. The envelope is `v1.<salt>.<iv>.<tag>.<ciphertext>`, base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

function deriveKey(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32);
}

/** Encrypts a PEM private key. */
export function encryptPrivateKey(pem: string, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  const parts = [salt, iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return `v1.${parts.join('.')}`;
}

/** Decrypts an envelope; throws ERR_KEY_DECRYPT when the secret is wrong or the data altered. */
export function decryptPrivateKey(envelope: string, secret: string): string {
  const [version, ...parts] = envelope.split('.');
  if (version !== 'v1' || parts.length !== 4) throw keyError('unknown key envelope');

  const [salt, iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw keyError('cannot decrypt the signing keys: AUTHLY_KEY_ENCRYPTION_SECRET is wrong');
  }
}

function keyError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_KEY_DECRYPT' });
}
