import type { SessionStage } from '../../../shared/contract';
import { refuse } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { hasAccounts, findAccountByLogin, sessionUser } from './accounts';
import { startSession, throttleKeys, type AuthDeps } from './deps';
import { dummyHash, verifyPassword } from './passwords';
import { lockedOut, wrongSecret } from './secret-check';
import { passwordPath } from '../sso/enforcement';

const WRONG = 'The username, email or password is not right';

/**
 * Password step. Unknown accounts and wrong passwords give the same answer, cost the
 * same scrypt run and are throttled alike (`Throttle`, per login and per source). An
 * unknown login is kept only as an HMAC under the installation's key: people type
 * passwords into the username field, and a plain digest of one could be guessed offline.
 */
export const signInHandler = (deps: AuthDeps) =>
  handler('auth.signIn', {
    access: { kind: 'public' },
    async prepare(ctx, input) {
      const account = findAccountByLogin(ctx.db, input.login);
      const key = account
        ? throttleKeys.password(account.id)
        : throttleKeys.unknownLogin(ctx.secrets.mac('unknown login', input.login.toLowerCase()));
      if (deps.throttle.check(key, ctx.source, ctx.clock.now()).locked) return { account, key, passwordOk: false };
      const passwordOk = await verifyPassword(input.password, account?.password_hash ?? (await dummyHash()));
      return { account, key, passwordOk: passwordOk && account?.password_hash != null };
    },
    run(ctx, _input, { account, key, passwordOk }) {
      if (!hasAccounts(ctx.db)) return refuse('SETUP_REQUIRED', 'Steward is not set up yet');
      if (account) ctx.audit({ target: { type: 'user', id: account.id, name: account.username } });
      const locked = lockedOut(deps.throttle, key, ctx);
      if (locked) return locked;
      if (!account || !passwordOk) return wrongSecret(deps.throttle, key, ctx, { code: 'INVALID_CREDENTIALS', message: WRONG });
      if (account.status !== 'active') return refuse('FORBIDDEN', 'This account is disabled. Ask an administrator to enable it.');
      deps.throttle.reset(key, ctx.source);
      // Only once the password was right, so the answer tells a guesser nothing about the account.
      const path = passwordPath(ctx.db, account);
      if (path.kind === 'sso-required') return refuse('SSO_REQUIRED', path.message);
      const stage: SessionStage = account.totp_secret ? 'mfa' : 'enroll';
      startSession(ctx, deps, account.id, stage);
      ctx.audit({
        action: path.kind === 'break-glass' ? 'auth.signIn.breakGlass' : 'auth.signIn.password',
        target: { type: 'user', id: account.id, name: account.username },
        ...(path.kind === 'break-glass' ? { groupId: path.companyId } : {}),
        after: { next: stage, ...(path.kind === 'break-glass' ? { ssoEnforcedWith: path.provider } : {}) },
      });
      return { stage, user: sessionUser(account) };
    },
  });
