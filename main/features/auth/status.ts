import { handler } from '../../dispatch/registry';
import { effectiveBranding } from '../groups/records';
import { readSetting } from '../settings/settings';
import { hasAccounts, findAccount, rootGroupName, sessionUser } from './accounts';

export const statusHandler = () =>
  handler('auth.status', {
    access: { kind: 'public' },
    run(ctx) {
      const account = ctx.actor ? findAccount(ctx.db, ctx.actor.userId) : undefined;
      return {
        setupRequired: !hasAccounts(ctx.db),
        rootGroupName: rootGroupName(ctx.db),
        session: ctx.actor && account ? { stage: ctx.actor.stage, user: sessionUser(account) } : null,
        idleTimeoutMinutes: readSetting(ctx.db, 'session.idleTimeoutMinutes'),
        branding: ctx.actor?.stage === 'active' && account ? effectiveBranding(ctx.db, account.home_group_id) : null,
      };
    },
  });
