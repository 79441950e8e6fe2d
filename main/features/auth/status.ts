import type { Db } from '../../db/connection';
import { handler } from '../../dispatch/registry';
import { pathSeenBy } from '../access/access';
import { groupPath } from '../access/tree';
import { effectiveBranding } from '../groups/records';
import { readSetting } from '../settings/settings';
import { hasAccounts, findAccount, rootGroupName, sessionUser } from './accounts';
import type { FirstRunGate } from './setup-code';

/** The highest group on the home path the person may see, by name (R13). */
function placeOf(db: Db, userId: string, homeGroupId: string): string | null {
  const path = groupPath(db, homeGroupId);
  return path ? (pathSeenBy(db, userId, path.fromRoot)[0]?.name ?? null) : null;
}

export const statusHandler = (firstRun: FirstRunGate) =>
  handler('auth.status', {
    access: { kind: 'public' },
    run(ctx) {
      const account = ctx.actor ? findAccount(ctx.db, ctx.actor.userId) : undefined;
      const setupRequired = !hasAccounts(ctx.db);
      return {
        setupRequired,
        setupCodeRequired: setupRequired && firstRun.needsCode(ctx.source),
        rootGroupName: rootGroupName(ctx.db),
        session: ctx.actor && account ? { stage: ctx.actor.stage, user: sessionUser(account) } : null,
        idleTimeoutMinutes: readSetting(ctx.db, 'session.idleTimeoutMinutes'),
        branding: ctx.actor?.stage === 'active' && account ? effectiveBranding(ctx.db, account.home_group_id) : null,
        placeName: ctx.actor?.stage === 'active' && account ? placeOf(ctx.db, account.id, account.home_group_id) : null,
      };
    },
  });
