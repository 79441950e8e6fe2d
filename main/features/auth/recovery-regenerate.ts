import { OpError, refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { stmt } from '../../db/statements';
import { findAccount } from './accounts';
import { requireActor, throttleKeys, type AuthDeps } from './deps';
import { issueRecoveryCodes } from './recovery-codes';
import { throttledMessage } from './throttle';
import { checkCode } from './totp';

/** New recovery codes for oneself, confirmed with a fresh authenticator code; the old ones stop working. */
export const regenerateRecoveryCodesHandler = (deps: AuthDeps) =>
  handler('auth.regenerateRecoveryCodes', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const account = findAccount(deps.db, requireActor(ctx).userId);
      if (!account?.totp_secret) throw new OpError('WRONG_STAGE', 'Set up an authenticator first');
      return {
        check: await checkCode(ctx.secrets.open(account.totp_secret).toString('utf8'), input.code, ctx.clock.now(), account.totp_last_step),
      };
    },
    run(ctx, _input, { check }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      const key = throttleKeys.code(actor.userId);
      ctx.audit({ action: 'auth.mfa.recoveryCodesRegenerated', target: { type: 'user', id: actor.userId, name: actor.username } });
      const throttled = deps.throttle.check(key, now);
      if (throttled.locked)
        return refuse('THROTTLED', throttledMessage(throttled.retryAfterSeconds), {
          field: 'code',
          retryAfterSeconds: throttled.retryAfterSeconds,
        });
      const last = findAccount(deps.db, actor.userId)?.totp_last_step ?? null;
      if (check.kind !== 'valid' || (last !== null && check.timeStep <= last)) {
        deps.throttle.fail(key, now);
        return check.kind === 'invalid'
          ? refuse('INVALID_CODE', 'That code is not right', { field: 'code' })
          : refuse('CODE_REUSED', 'This code was already used. Wait for the next code.', { field: 'code' });
      }
      deps.throttle.reset(key);
      stmt(deps.db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(check.timeStep, actor.userId);
      return { recoveryCodes: issueRecoveryCodes(ctx, deps.db, actor.userId) };
    },
  });
