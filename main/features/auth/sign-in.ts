import type { SessionStage } from '../../../shared/contract';
import { refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { digest } from '../../security/tokens';
import { hasAccounts, findAccountByLogin, sessionUser } from './accounts';
import { startSession, throttleKeys, type AuthDeps } from './deps';
import { dummyHash, verifyPassword } from './passwords';
import { throttledMessage } from './throttle';

const WRONG = 'The username, email or password is not right';

/**
 * Password step. Unknown accounts and wrong passwords give the same answer, cost the
 * same scrypt run and are throttled alike; the unknown login itself is never stored.
 */
export const signInHandler = (deps: AuthDeps) =>
  handler('auth.signIn', {
    access: { kind: 'public' },
    async prepare(ctx, input) {
      const account = findAccountByLogin(deps.db, input.login);
      const key = account ? throttleKeys.password(account.id) : throttleKeys.unknownLogin(digest(input.login.toLowerCase()));
      if (deps.throttle.check(key, ctx.clock.now()).locked) return { account, key, passwordOk: false };
      const passwordOk = await verifyPassword(input.password, account?.password_hash ?? (await dummyHash()));
      return { account, key, passwordOk: passwordOk && account?.password_hash != null };
    },
    run(ctx, _input, { account, key, passwordOk }) {
      const now = ctx.clock.now();
      if (!hasAccounts(deps.db)) return refuse('SETUP_REQUIRED', 'Steward is not set up yet');
      if (account) ctx.audit({ target: { type: 'user', id: account.id, name: account.username } });
      const throttled = deps.throttle.check(key, now);
      if (throttled.locked) {
        return refuse('THROTTLED', throttledMessage(throttled.retryAfterSeconds), { retryAfterSeconds: throttled.retryAfterSeconds });
      }
      if (!account || !passwordOk) {
        const lock = deps.throttle.fail(key, now);
        return lock.locked
          ? refuse('THROTTLED', `${WRONG}. ${throttledMessage(lock.retryAfterSeconds)}`, { retryAfterSeconds: lock.retryAfterSeconds })
          : refuse('INVALID_CREDENTIALS', WRONG);
      }
      if (account.status !== 'active') return refuse('FORBIDDEN', 'This account is disabled. Ask an administrator to enable it.');
      deps.throttle.reset(key);
      const stage: SessionStage = account.totp_secret ? 'mfa' : 'enroll';
      startSession(ctx, deps, account.id, stage);
      ctx.audit({
        action: 'auth.signIn.password',
        target: { type: 'user', id: account.id, name: account.username },
        after: { next: stage },
      });
      return { stage, user: sessionUser(account) };
    },
  });
