import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { stmt } from '../../db/statements';
import { findAccount } from './accounts';
import { requireActor, throttleKeys, type AuthDeps } from './deps';
import { issueRecoveryCodes } from './recovery-codes';
import { lockedOut, wrongSecret } from './secret-check';
import { checkCode } from './totp';

/**
 * New recovery codes for oneself, confirmed with a fresh authenticator code (throttled,
 * failures audited); the old ones stop working and the person's other sessions end, since
 * a session that knew of the old codes should not outlive them.
 */
export const regenerateRecoveryCodesHandler = (deps: AuthDeps) =>
  handler('auth.regenerateRecoveryCodes', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const account = findAccount(ctx.db, requireActor(ctx).userId);
      if (!account?.totp_secret) throw new OpError('WRONG_STAGE', 'Set up an authenticator first');
      return {
        check: await checkCode(ctx.secrets.open(account.totp_secret).toString('utf8'), input.code, ctx.clock.now(), account.totp_last_step),
      };
    },
    run(ctx, _input, { check }) {
      const actor = requireActor(ctx);
      const key = throttleKeys.code(actor.userId);
      ctx.audit({ action: 'auth.mfa.recoveryCodesRegenerated', target: { type: 'user', id: actor.userId, name: actor.username } });
      const locked = lockedOut(deps.throttle, key, ctx, 'code');
      if (locked) return locked;
      const last = findAccount(ctx.db, actor.userId)?.totp_last_step ?? null;
      if (check.kind !== 'valid' || (last !== null && check.timeStep <= last)) {
        return wrongSecret(
          deps.throttle,
          key,
          ctx,
          check.kind === 'invalid'
            ? { code: 'INVALID_CODE', message: 'That code is not right', field: 'code' }
            : { code: 'CODE_REUSED', message: 'This code was already used. Wait for the next code.', field: 'code' },
        );
      }
      deps.throttle.reset(key, ctx.source);
      stmt(ctx.db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(check.timeStep, actor.userId);
      const recoveryCodes = issueRecoveryCodes(ctx, ctx.db, actor.userId);
      const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
      ctx.audit({ after: { otherSessionsEnded: ended } });
      return { recoveryCodes };
    },
  });
