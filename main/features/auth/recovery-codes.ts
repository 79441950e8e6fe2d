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
