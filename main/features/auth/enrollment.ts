import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { findAccount, rootGroupName, sessionUser } from './accounts';
import { promoteSession, requireActor, throttleKeys, type AuthDeps } from './deps';
import { issueRecoveryCodes } from './recovery-codes';
import { lockedOut, wrongSecret } from './secret-check';
import { verifyPassword } from './passwords';
import { base32, checkCode, enrollmentArtifacts } from './totp';

/** A new 20-byte key, held (encrypted) on the session until a code proves the app has it. */
export const beginEnrollmentHandler = (deps: AuthDeps) =>
  handler('auth.beginEnrollment', {
    access: { kind: 'self' },
    async prepare(ctx) {
      const actor = requireActor(ctx);
      const secret = base32(ctx.entropy.bytes(20));
      const issuer = `Steward${rootGroupName(ctx.db) ? ` (${rootGroupName(ctx.db)})` : ''}`;
      return { secret, ...(await enrollmentArtifacts(secret, actor.username, issuer)) };
    },
    run(ctx, _input, enrollment) {
      const actor = requireActor(ctx);
      deps.sessions.setPendingSecret(actor.sessionId, ctx.secrets.seal(Buffer.from(enrollment.secret, 'utf8')));
      ctx.audit({ action: 'auth.mfa.enrollmentStarted', target: { type: 'user', id: actor.userId, name: actor.username } });
      return enrollment;
    },
  });

/**
 * Makes the pending key the account's authenticator once a code from it is right, with ten
 * new recovery codes. Replacing a working authenticator from a signed-in session also
 * needs the current password. Both checks are throttled and a failure is audited
 * (`Throttle`). The person's other sessions end: whoever holds one did not prove the new
 * authenticator.
 */
export const confirmEnrollmentHandler = (deps: AuthDeps) =>
  handler('auth.confirmEnrollment', {
    access: { kind: 'self' },
    async prepare(ctx, input) {
      const actor = requireActor(ctx);
      const sealed = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
      if (!sealed) throw notStarted();
      let passwordOk: boolean | null = null;
      // Replacing a working authenticator from a signed-in session is a step-up action.
      if (actor.stage === 'active') {
        if (!input.currentPassword)
          throw new OpError('VALIDATION', 'Enter your current password to replace your authenticator', { field: 'currentPassword' });
        const hash = findAccount(ctx.db, actor.userId)?.password_hash;
        const locked = deps.throttle.check(throttleKeys.password(actor.userId), ctx.source, ctx.clock.now()).locked;
        passwordOk = !locked && !!hash && (await verifyPassword(input.currentPassword, hash));
      }
      const check = await checkCode(ctx.secrets.open(sealed).toString('utf8'), input.code, ctx.clock.now(), null);
      return { sealed, check, passwordOk };
    },
    run(ctx, _input, { sealed, check, passwordOk }) {
      const actor = requireActor(ctx);
      const now = ctx.clock.now();
      const target = { type: 'user', id: actor.userId, name: actor.username };
      ctx.audit({ action: 'auth.mfa.enrolled', target });
      const current = deps.sessions.get(actor.sessionId)?.pending_totp_secret;
      if (!current || !current.equals(sealed)) throw notStarted();
      if (passwordOk !== null) {
        const passwordKey = throttleKeys.password(actor.userId);
        const locked = lockedOut(deps.throttle, passwordKey, ctx, 'currentPassword');
        if (locked) return locked;
        if (!passwordOk)
          return wrongSecret(deps.throttle, passwordKey, ctx, {
            code: 'INVALID_CREDENTIALS',
            message: 'The current password is not right',
            field: 'currentPassword',
          });
        deps.throttle.reset(passwordKey, ctx.source);
      }
      const key = throttleKeys.code(actor.userId);
      const locked = lockedOut(deps.throttle, key, ctx, 'code');
      if (locked) return locked;
      if (check.kind !== 'valid') {
        return wrongSecret(deps.throttle, key, ctx, {
          code: 'INVALID_CODE',
          message: 'That code is not right. Scan the QR code again or type the key, then enter the code the app shows.',
          field: 'code',
        });
      }
      deps.throttle.reset(key, ctx.source);
      stmt(
        ctx.db,
        'UPDATE users SET totp_secret = ?, totp_last_step = ?, mfa_enrolled_at = ?, last_sign_in_at = ?, updated_at = ? WHERE id = ?',
      ).run(sealed, check.timeStep, now, now, now, actor.userId);
      const codes = issueRecoveryCodes(ctx, ctx.db, actor.userId);
      const ended = deps.sessions.deleteOthers(actor.userId, actor.sessionId);
      promoteSession(ctx, deps, 'active');
      const account = findAccount(ctx.db, actor.userId);
      if (!account) throw new OpError('UNAUTHENTICATED', 'This account no longer exists');
      ctx.audit({ action: 'auth.mfa.enrolled', target, after: { recoveryCodes: codes.length, otherSessionsEnded: ended } });
      return { stage: 'active' as const, user: sessionUser(account), recoveryCodes: codes };
    },
  });

function notStarted(): OpError {
  return new OpError('ENROLLMENT_NOT_STARTED', 'Start the authenticator setup first; the key shown earlier is no longer pending.');
}
