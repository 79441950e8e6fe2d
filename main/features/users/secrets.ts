import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { hashPassword } from '../auth/passwords';
import { throttleKeys } from '../auth/deps';
import { SessionStore } from '../auth/sessions';
import { Throttle } from '../auth/throttle';
import { actOnUser, generatePassword, onPerson } from './guards';

/** Seed 002: a new random password, shown once; the user's sessions end. */
export const usersResetPasswordHandler = () =>
  handler('users.resetPassword', {
    access: onPerson('users.edit'),
    async prepare(ctx) {
      const password = generatePassword((n) => ctx.entropy.bytes(n));
      return { password, hash: await hashPassword(password, ctx.entropy.bytes(16)) };
    },
    run(ctx, input, { password, hash }) {
      const { db } = ctx;
      const user = actOnUser(db, ctx, input.id);
      stmt(db, 'UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, ctx.clock.now(), user.id);
      const ended = new SessionStore(db).deleteAllOf(user.id);
      new Throttle(db).clear(throttleKeys.password(user.id));
      ctx.audit({ target: { type: 'user', id: user.id, name: user.username }, after: { passwordReset: true, sessionsEnded: ended } });
      return { password };
    },
  });

/** MFA stays mandatory: a reset forces the user through enrollment at their next sign-in. */
export const usersResetMfaHandler = () =>
  handler('users.resetMfa', {
    access: onPerson('users.edit'),
    run(ctx, input) {
      const { db } = ctx;
      const user = actOnUser(db, ctx, input.id);
      const enrolled = stmt<[string], { totp_secret: Buffer | null }>(db, 'SELECT totp_secret FROM users WHERE id = ?').get(
        user.id,
      )?.totp_secret;
      if (!enrolled) throw new OpError('CONFLICT', `${user.username} has no authenticator to reset`, { field: 'id' });
      stmt(db, 'UPDATE users SET totp_secret = NULL, totp_last_step = NULL, updated_at = ? WHERE id = ?').run(ctx.clock.now(), user.id);
      stmt(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(user.id);
      const ended = new SessionStore(db).deleteAllOf(user.id);
      ctx.audit({
        action: 'users.resetMfa',
        target: { type: 'user', id: user.id, name: user.username },
        after: { mfa: 'reset_pending', sessionsEnded: ended },
      });
      return { id: user.id };
    },
  });
