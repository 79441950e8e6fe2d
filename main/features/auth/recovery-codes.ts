import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { CommandContext } from '../../dispatch/context';
import { digest } from '../../security/tokens';
import { base32 } from './totp';

export const RECOVERY_CODE_COUNT = 10;

/** `ABCDE-FGHIJ`: 50 bits each, typed by people reading from paper. */
export function makeRecoveryCodes(bytes: (count: number) => Buffer): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = base32(bytes(7)).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function recoveryCodeDigest(code: string): string {
  return digest(code.toUpperCase().replace(/[\s-]/g, ''));
}

/** Replaces a user's recovery codes with ten new ones; only their digests are kept. */
export function issueRecoveryCodes(ctx: Pick<CommandContext, 'entropy'>, db: Db, userId: string): string[] {
  const codes = makeRecoveryCodes((n) => ctx.entropy.bytes(n));
  stmt(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const insert = stmt(db, 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
  for (const code of codes) insert.run(userId, recoveryCodeDigest(code));
  return codes;
}
