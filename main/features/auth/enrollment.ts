import { stmt } from '../../db/statements';
import { OpError, refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { findAccount, rootGroupName, sessionUser } from './accounts';
import { promoteSession, requireActor, throttleKeys, type AuthDeps } from './deps';
import { issueRecoveryCodes } from './recovery-codes';
import { throttledMessage } from './throttle';
import { verifyPassword } from './passwords';
import { base32, checkCode, enrollmentArtifacts } from './totp';

/** A new 20-byte key, held (encrypted) on the session until a code proves the app has it. */
export const beginEnrollmentHandler = (deps: AuthDeps) =>
  handler('auth.beginEnrollment', {
    access: { kind: 'self' },
    async prepare(ctx) {
      const actor = requireActor(ctx);
      const secret = base32(ctx.entropy.bytes(20));
      const issuer = `Steward${rootGroupName(deps.db) ? ` (${rootGroupName(deps.db)})` : ''}`;
      return { secret, ...(await enrollmentArtifacts(secret, actor.username, issuer)) };
    },
    run(ctx, _input, enrollment) {
      const actor = requireActor(ctx);
      deps.sessions.setPendingSecret(actor.sessionId, ctx.secrets.seal(Buffer.from(enrollment.secret, 'utf8')));
      ctx.audit({ action: 'auth.mfa.enrollmentStarted', target: { type: 'user', id: actor.userId, name: actor.username } });
      return enrollment;
    },
  });

export const confirmEnrollmentHandler = (deps: AuthDeps) =>
  handler('auth.confirmEnrollment', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const actor = requireActor(ctx);
      const sealed = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
      if (!sealed) throw notStarted();
      // Replacing a working authenticator from a signed-in session is a step-up action.
      if (actor.stage === 'active') {
        if (!input.currentPassword)
          throw new OpError('VALIDATION', 'Enter your current password to replace your authenticator', { field: 'currentPassword' });
        const hash = findAccount(deps.db, actor.userId)?.password_hash;
        if (!hash || !(await verifyPassword(input.currentPassword, hash))) {
          throw new OpError('INVALID_CREDENTIALS', 'The current password is not right', { field: 'currentPassword' });
        }
      }
      const check = await checkCode(ctx.secrets.open(sealed).toString('utf8'), input.code, ctx.clock.now(), null);
      return { sealed, check };
    },
    run(ctx, _input, { sealed, check }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      const key = throttleKeys.code(actor.userId);
      const target = { type: 'user', id: actor.userId, name: actor.username };
      ctx.audit({ action: 'auth.mfa.enrolled', target });
      const current = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
      if (!current || !current.equals(sealed)) throw notStarted();
      const throttled = deps.throttle.check(key, now);
      if (throttled.locked)
        return refuse('THROTTLED', throttledMessage(throttled.retryAfterSeconds), { retryAfterSeconds: throttled.retryAfterSeconds });
      if (check.kind !== 'valid') {
        const lock = deps.throttle.fail(key, now);
        const message = 'That code is not right. Scan the QR code again or type the key, then enter the code the app shows.';
        return lock.locked
          ? refuse('THROTTLED', `${message} ${throttledMessage(lock.retryAfterSeconds)}`, {
              field: 'code',
              retryAfterSeconds: lock.retryAfterSeconds,
            })
          : refuse('INVALID_CODE', message, { field: 'code' });
      }
      deps.throttle.reset(key);
      stmt(
        deps.db,
        'UPDATE users SET totp_secret = ?, totp_last_step = ?, mfa_enrolled_at = ?, last_sign_in_at = ?, updated_at = ? WHERE id = ?',
      ).run(sealed, check.timeStep, now, now, now, actor.userId);
      const codes = issueRecoveryCodes(ctx, deps.db, actor.userId);
      promoteSession(ctx, deps, 'active');
      const account = findAccount(deps.db, actor.userId);
      if (!account) throw new OpError('UNAUTHENTICATED', 'This account no longer exists');
      ctx.audit({ action: 'auth.mfa.enrolled', target, after: { recoveryCodes: codes.length } });
      return { stage: 'active' as const, user: sessionUser(account), recoveryCodes: codes };
    },
  });

function notStarted(): OpError {
  return new OpError('ENROLLMENT_NOT_STARTED', 'Start the authenticator setup first; the key shown earlier is no longer pending.');
}
