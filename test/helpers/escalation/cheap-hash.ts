import { scryptSync } from 'node:crypto';

/**
 * The product's password hash format at N=2^10 instead of 2^17. The property is about
 * authorization, not hashing, and 2,000 cases cannot pay 0.3 s per scrypt call; the
 * product's own verifyPassword reads the parameters from the hash, so sign-in and
 * password change still verify for real against what was stored.
 */
export async function cheapHash(password: string, salt: Buffer): Promise<string> {
  const N = 2 ** 10;
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1 });
  return ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}
