import { OpError } from '../dispatch/errors';

/**
 * R34: a stored secret goes only where it was given for. When a settings change moves where
 * it would be sent (`before` and `after` name every address it, or a token it buys, reaches)
 * and no new secret comes with the change, the change is refused (VALIDATION on `field`):
 * otherwise whoever may edit the settings but never saw the secret could send it to a
 * server of their own. Nothing is refused when no secret is stored.
 */
export function requireSecretFollows(change: {
  before: string | null;
  after: string;
  stored: boolean;
  given: boolean;
  field: string;
  what: string;
}): void {
  if (!change.stored || change.given || change.before === null || change.before === change.after) return;
  throw new OpError(
    'VALIDATION',
    `Type the ${change.what} again: a stored ${change.what} is sent only to the address it was given for, and this change sends it elsewhere`,
    { field: change.field },
  );
}
