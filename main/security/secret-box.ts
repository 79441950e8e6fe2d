import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files';

/**
 * Encrypts secrets at rest (TOTP keys) with AES-256-GCM. The key lives in the data
 * folder, readable by its owner only; under Electron it is sealed by the OS keyring.
 */
export interface SecretBox {
  /**
   * AES-256-GCM under the installation's key. `iv` (12 bytes) is drawn here unless given: a
   * command passes one from its entropy, so replaying the command seals to the same bytes.
   */
  seal(plain: Buffer, iv?: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
  /**
   * HMAC-SHA256 of `data` (UTF-8) under a key derived from the installation's key for
   * `purpose` (HKDF-SHA256), as 64 hex characters. Lets a stored value be checked only by
   * someone holding the key: a copy of the database alone cannot test a guess against it.
   */
  mac(purpose: string, data: string): string;
}

const VERSION = 1;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  const macKeys = new Map<string, Buffer>();
  // One key per purpose, never the encryption key itself, so no two uses can be played against each other.
  const macKey = (purpose: string) => {
    let derived = macKeys.get(purpose);
    if (!derived) macKeys.set(purpose, (derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `steward mac: ${purpose}`, 32))));
    return derived;
  };
  return {
    mac(purpose, data) {
      return createHmac('sha256', macKey(purpose)).update(data, 'utf8').digest('hex');
    },
    seal(plain, given) {
      const iv = given ?? randomBytes(12);
      if (iv.length !== 12) throw new Error('A seal needs a 12-byte IV');
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
  ensurePrivateDir(keysDir);
  const plainPath = join(keysDir, PLAIN_KEY);
  const sealedPath = join(keysDir, SEALED_KEY);
  if (existsSync(sealedPath)) {
    chmodSync(sealedPath, PRIVATE_FILE_MODE);
    if (!sealer) throw new SealedKeyError();
    return sealer.open(readFileSync(sealedPath));
  }
  if (existsSync(plainPath)) {
    chmodSync(plainPath, PRIVATE_FILE_MODE);
    return readFileSync(plainPath);
  }
  const key = randomBytes(32);
  if (sealer) writeFileSync(sealedPath, sealer.seal(key), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  else writeFileSync(plainPath, key, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return key;
}
