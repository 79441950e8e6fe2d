import { handler } from '../../dispatch/registry';
import { effectiveBranding } from '../groups/records';
import { readSetting } from '../settings/settings';
import { hasAccounts, findAccount, rootGroupName, sessionUser } from './accounts';
import type { AuthDeps } from './deps';

export const statusHandler = (deps: AuthDeps) =>
  handler('auth.status', {
    access: { kind: 'public' },
    run(ctx) {
      const account = ctx.actor ? findAccount(deps.db, ctx.actor.userId) : undefined;
      return {
        setupRequired: !hasAccounts(deps.db),
        rootGroupName: rootGroupName(deps.db),
        session: ctx.actor && account ? { stage: ctx.actor.stage, user: sessionUser(account) } : null,
        idleTimeoutMinutes: readSetting(deps.db, 'session.idleTimeoutMinutes'),
        branding: ctx.actor?.stage === 'active' && account ? effectiveBranding(deps.db, account.home_group_id) : null,
      };
    },
  });
