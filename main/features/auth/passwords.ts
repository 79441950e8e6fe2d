import { scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { assetPath } from '../../assets';

/** R19: scrypt with N=2^17, r=8, p=1; stored with each hash so they can be raised later. */
const DEFAULT = { N: 2 ** 17, r: 8, p: 1, keylen: 32 };

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function maxmem(N: number, r: number): number {
  // Node's default (32 MiB) is below what N=2^17 needs (128 * N * r bytes).
  return 128 * N * r + 16 * 1024 * 1024;
}

export async function hashPassword(password: string, salt: Buffer): Promise<string> {
  const { N, r, p, keylen } = DEFAULT;
  const key = await scrypt(password, salt, keylen, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const N = Number(n);
  const R = Number(r);
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: Number(p), maxmem: maxmem(N, R) });
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/** A hash to check against when the account does not exist, so both cases cost the same. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('steward-no-such-account', Buffer.alloc(16, 7));
  return dummy;
}

let common: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(readFileSync(assetPath('common-passwords.txt'), 'utf8').split('\n'));
  return common;
}

/** Length is checked by the input schema; this adds what needs the bundled list or the account. */
export function passwordProblem(password: string, account: { username: string; email: string }): string | null {
  const lower = password.normalize('NFKC').toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is on the list of commonly used passwords; choose another';
  if (lower.includes(account.username.toLowerCase())) return 'The password must not contain your username';
  const local = account.email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'The password must not contain your email address';
  return null;
}
