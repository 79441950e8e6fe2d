import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { findAccount, sessionUser } from './accounts';
import { promoteSession, requireActor, throttleKeys, type AuthDeps } from './deps';
import { recoveryCodeHash } from './recovery-codes';
import { lockedOut, wrongSecret } from './secret-check';
import { checkCode, type CodeCheck } from './totp';

/** Second step of sign-in: an authenticator code (never the same step twice) or one recovery code. */
export const verifyCodeHandler = (deps: AuthDeps) =>
  handler('auth.verifyCode', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const account = findAccount(ctx.db, requireActor(ctx).userId);
      if (!account?.totp_secret) throw new OpError('WRONG_STAGE', 'This account has no authenticator yet; sign in again to set one up');
      // Only what the code proved goes on: the envelope of this command never holds the code itself.
      if (input.code === undefined)
        return { check: null as CodeCheck | null, recoveryHash: recoveryCodeHash(ctx.secrets, input.recoveryCode ?? '') };
      const secret = ctx.secrets.open(account.totp_secret).toString('utf8');
      return { check: await checkCode(secret, input.code, ctx.clock.now(), account.totp_last_step), recoveryHash: null };
    },
    run(ctx, _input, { check, recoveryHash }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      const key = throttleKeys.code(actor.userId);
      ctx.audit({
        target: { type: 'user', id: actor.userId, name: actor.username },
        after: { method: check ? 'authenticator' : 'recovery code' },
      });
      const locked = lockedOut(deps.throttle, key, ctx);
      if (locked) return locked;
      const account = findAccount(ctx.db, actor.userId);
      if (!account) throw new OpError('UNAUTHENTICATED', 'This account no longer exists');
      const accepted = check
        ? acceptCode(ctx.db, account.id, account.totp_last_step, check)
        : acceptRecoveryCode(ctx.db, account.id, recoveryHash ?? '', now);
      if (accepted !== true) return wrongSecret(deps.throttle, key, ctx, { ...accepted, field: check ? 'code' : 'recoveryCode' });
      deps.throttle.reset(key, ctx.source);
      stmt(ctx.db, 'UPDATE users SET last_sign_in_at = ? WHERE id = ?').run(now, account.id);
      promoteSession(ctx, deps, 'active');
      return { stage: 'active' as const, user: sessionUser(account) };
    },
  });

type Rejection = { code: 'INVALID_CODE' | 'CODE_REUSED'; message: string };

function acceptCode(db: Db, userId: string, lastStep: number | null, check: CodeCheck): true | Rejection {
  // Re-checked here: another sign-in may have used this step since `prepare` read it.
  if (check.kind === 'reused' || (check.kind === 'valid' && lastStep !== null && check.timeStep <= lastStep)) {
    return { code: 'CODE_REUSED', message: 'This code was already used. Wait for the next code from your authenticator app.' };
  }
  if (check.kind === 'invalid')
    return { code: 'INVALID_CODE', message: 'That code is not right. Check the time on your device and try again.' };
  stmt(db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(check.timeStep, userId);
  return true;
}

function acceptRecoveryCode(db: Db, userId: string, codeHash: string, now: number): true | Rejection {
  const used = stmt(db, 'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(
    now,
    userId,
    codeHash,
  );
  return used.changes === 1 ? true : { code: 'INVALID_CODE', message: 'That recovery code is not valid or was already used.' };
}
