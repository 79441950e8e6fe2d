import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { passwordProblem, hashPassword, verifyPassword } from '../../main/features/auth/passwords';
import { makeRecoveryCodes, recoveryCodeHash } from '../../main/features/auth/recovery-codes';
import { base32, checkCode } from '../../main/features/auth/totp';
import { createSecretBox, loadOrCreateKey } from '../../main/security/secret-box';
import { tempDir } from '../helpers/temp-steward';
import { randomBytes } from 'node:crypto';

describe('passwords', () => {
  it('hashes with scrypt N=2^17 r=8 p=1, stores the parameters, and verifies', async () => {
    const hash = await hashPassword('a long and unusual passphrase', Buffer.alloc(16, 1));
    expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await verifyPassword('a long and unusual passphrase', hash)).toBe(true);
    expect(await verifyPassword('a long and unusual passphrasE', hash)).toBe(false);
  });

  it('refuses common passwords from the bundled list and ones containing the username', () => {
    const account = { username: 'olivia', email: 'olivia@acme.test' };
    expect(passwordProblem('qwerty123456', account)).toMatch(/commonly used/);
    expect(passwordProblem('QWERTY123456', account)).toMatch(/commonly used/);
    expect(passwordProblem('my name is olivia!!', account)).toMatch(/username/);
    expect(passwordProblem('a long and unusual passphrase', account)).toBeNull();
  });
});

describe('TOTP', () => {
  it('encodes keys as RFC 4648 base32', () => {
    expect(base32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(randomBytes(20))).toHaveLength(32);
  });

  it('accepts a fresh code, refuses the same step again as reused, and a wrong code as invalid', async () => {
    const secret = base32(randomBytes(20));
    const now = Date.now();
    const code = await generate({ secret, epoch: Math.floor(now / 1000) });
    const first = await checkCode(secret, code, now, null);
    expect(first.kind).toBe('valid');
    const step = first.kind === 'valid' ? first.timeStep : -1;
    expect(await checkCode(secret, code, now, step)).toEqual({ kind: 'reused' });
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await checkCode(secret, wrong, now, step)).toEqual({ kind: 'invalid' });
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes that match however they are typed back', () => {
    const codes = makeRecoveryCodes((n) => randomBytes(n));
    expect(new Set(codes).size).toBe(10);
    const code = codes[0] ?? '';
    expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const box = createSecretBox(randomBytes(32));
    expect(recoveryCodeHash(box, ` ${code.toLowerCase().replace('-', ' ')} `)).toBe(recoveryCodeHash(box, code));
  });
});

describe('secrets at rest', () => {
  it('creates the key once, readable by its owner only, and round-trips secrets', () => {
    const temp = tempDir();
    try {
      const key = loadOrCreateKey(temp.dir);
      expect(statSync(join(temp.dir, 'keys', 'secret.key')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKey(temp.dir).equals(key)).toBe(true);
      const box = createSecretBox(key);
      const sealed = box.seal(Buffer.from('JBSWY3DPEHPK3PXP'));
      expect(sealed.includes(Buffer.from('JBSWY3DPEHPK3PXP'))).toBe(false);
      expect(box.open(sealed).toString()).toBe('JBSWY3DPEHPK3PXP');
      sealed.writeUInt8((sealed.at(-1) ?? 0) ^ 1, sealed.length - 1);
      expect(() => box.open(sealed)).toThrow();
    } finally {
      temp.remove();
    }
  });
});
