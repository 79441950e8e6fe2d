import { createHash } from 'node:crypto';

/** Session and invitation tokens are stored only as this digest; they are long and random, so no salt or key is needed. Never for what a person chose or can guess. */
export function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
