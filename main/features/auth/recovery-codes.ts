import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import type { SecretBox } from '../../security/secret-box';
import { digest } from '../../security/tokens';
import { base32 } from './totp';

export const RECOVERY_CODE_COUNT = 10;

/** The HMAC purpose for recovery codes; changing it would invalidate every stored code. */
const RECOVERY_CODE_PURPOSE = 'recovery code v1';

/** `ABCDE-FGHIJ`: 50 bits each, typed by people reading from paper. */
export function makeRecoveryCodes(bytes: (count: number) => Buffer): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = base32(bytes(7)).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/**
 * What is stored for a recovery code given its SHA-256 hex digest (what Steward stored
 * before schema 9): HMAC under the installation's key, so 50 bits cannot be brute-forced
 * from a copy of the database without the key. Migration 009 applies it to old rows.
 */
export function recoveryCodeMac(secrets: Pick<SecretBox, 'mac'>, sha256Hex: string): string {
  return secrets.mac(RECOVERY_CODE_PURPOSE, sha256Hex);
}

/** The stored form of a typed code; case, spaces and dashes do not matter. */
export function recoveryCodeHash(secrets: Pick<SecretBox, 'mac'>, code: string): string {
  return recoveryCodeMac(secrets, digest(code.toUpperCase().replace(/[\s-]/g, '')));
}

/** Replaces a user's recovery codes with ten new ones; only their keyed hashes are kept. */
export function issueRecoveryCodes(ctx: Pick<CommandContext, 'entropy' | 'secrets'>, db: Db, userId: string): string[] {
  const codes = makeRecoveryCodes((n) => ctx.entropy.bytes(n));
  stmt(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const insert = stmt(db, 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
  for (const code of codes) insert.run(userId, recoveryCodeHash(ctx.secrets, code));
  return codes;
}
