import type { ErrorCode } from '../../../shared/result';
import type { CommandContext } from '../../dispatch/context';
import { refuse, type Refusal } from '../../dispatch/errors';
import { throttledMessage, type Throttle } from './throttle';

/**
 * The refusal (`THROTTLED`, with `retryAfterSeconds`) for a caller whose source may not try
 * `key` now, or null when it may. Returned, not thrown, so the audit event records it as denied.
 */
export function lockedOut(throttle: Throttle, key: string, ctx: Pick<CommandContext, 'source' | 'clock'>, field?: string): Refusal | null {
  const state = throttle.check(key, ctx.source, ctx.clock.now());
  if (!state.locked) return null;
  return refuse('THROTTLED', throttledMessage(state.retryAfterSeconds), {
    ...(field ? { field } : {}),
    retryAfterSeconds: state.retryAfterSeconds,
  });
}

/**
 * A wrong secret: counts the failure against `key` from `ctx.source` (see `Throttle`) and
 * returns the refusal, written to the audit trail as denied because it is returned rather
 * than thrown. When this failure locked the source, the answer is `THROTTLED` and says how long.
 */
export function wrongSecret(
  throttle: Throttle,
  key: string,
  ctx: Pick<CommandContext, 'source' | 'clock'>,
  rejection: { code: ErrorCode; message: string; field?: string },
): Refusal {
  const lock = throttle.fail(key, ctx.source, ctx.clock.now());
  const field = rejection.field ? { field: rejection.field } : {};
  if (!lock.locked) return refuse(rejection.code, rejection.message, field);
  const sentence = /[.!?]$/.test(rejection.message) ? rejection.message : `${rejection.message}.`;
  return refuse('THROTTLED', `${sentence} ${throttledMessage(lock.retryAfterSeconds)}`, {
    ...field,
    retryAfterSeconds: lock.retryAfterSeconds,
  });
}
