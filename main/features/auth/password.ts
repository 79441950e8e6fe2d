import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { findAccount } from './accounts';
import { requireActor, throttleKeys, type AuthDeps } from './deps';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { lockedOut, wrongSecret } from './secret-check';

/**
 * Change one's own password. The current password is checked under the same throttle as
 * sign-in (`Throttle`) and a wrong one is audited; on success every other session of the
 * account ends.
 */
export const changePasswordHandler = (deps: AuthDeps) =>
  handler('auth.changePassword', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const account = findAccount(ctx.db, requireActor(ctx).userId);
      if (!account?.password_hash) throw new OpError('UNAUTHENTICATED', 'This account no longer exists');
      const key = throttleKeys.password(account.id);
      if (deps.throttle.check(key, ctx.source, ctx.clock.now()).locked) return { key, currentOk: false, newHash: null };
      const currentOk = await verifyPassword(input.currentPassword, account.password_hash);
      if (!currentOk) return { key, currentOk, newHash: null };
      const problem = passwordProblem(input.newPassword, account);
      if (problem) throw new OpError('WEAK_PASSWORD', problem, { field: 'newPassword' });
      return { key, currentOk, newHash: await hashPassword(input.newPassword, ctx.entropy.bytes(16)) };
    },
    run(ctx, _input, { key, currentOk, newHash }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      ctx.audit({ target: { type: 'user', id: actor.userId, name: actor.username } });
      const locked = lockedOut(deps.throttle, key, ctx, 'currentPassword');
      if (locked) return locked;
      if (!currentOk || !newHash) {
        return wrongSecret(deps.throttle, key, ctx, {
          code: 'INVALID_CREDENTIALS',
          message: 'The current password is not right',
          field: 'currentPassword',
        });
      }
      deps.throttle.reset(key, ctx.source);
      stmt(ctx.db, 'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(newHash, now, actor.userId);
      const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
      ctx.audit({ target: { type: 'user', id: actor.userId, name: actor.username }, after: { otherSessionsEnded: ended } });
      return { changed: true as const };
    },
  });
