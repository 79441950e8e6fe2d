import { createHash } from 'node:crypto';

/** Tokens and recovery codes are stored only as this digest; they are long and random, so no salt is needed. */
export function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
