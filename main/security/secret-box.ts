import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts secrets at rest (TOTP keys) with AES-256-GCM. The key lives in the data
 * folder, readable by its owner only; under Electron it is sealed by the OS keyring.
 */
export interface SecretBox {
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

const VERSION = 1;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed[0] !== VERSION) throw new Error('Unknown secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    },
  };
}

/** Wraps the key with the OS keyring (Electron's safeStorage) where one exists. */
export interface KeySealer {
  seal(key: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

const PLAIN_KEY = 'secret.key';
const SEALED_KEY = 'secret.key.sealed';

export class SealedKeyError extends Error {
  constructor() {
    super(
      "This data folder's encryption key is sealed by the desktop app's keyring. Open it with the Steward desktop app, or use another data folder.",
    );
    this.name = 'SealedKeyError';
  }
}

/** Loads the data folder's key, creating it (mode 0600) on first use. */
export function loadOrCreateKey(dataDir: string, sealer?: KeySealer): Buffer {
  const keysDir = join(dataDir, 'keys');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const plainPath = join(keysDir, PLAIN_KEY);
  const sealedPath = join(keysDir, SEALED_KEY);
  if (existsSync(sealedPath)) {
    if (!sealer) throw new SealedKeyError();
    return sealer.open(readFileSync(sealedPath));
  }
  if (existsSync(plainPath)) {
    chmodSync(plainPath, 0o600);
    return readFileSync(plainPath);
  }
  const key = randomBytes(32);
  if (sealer) writeFileSync(sealedPath, sealer.seal(key), { mode: 0o600, flag: 'wx' });
  else writeFileSync(plainPath, key, { mode: 0o600, flag: 'wx' });
  return key;
}
