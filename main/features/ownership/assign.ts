import { ownerBindings } from '../../../shared/access/owner';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { bindingsOf } from '../access/access';
import { allRoles, ADMIN_ROLE_ID } from '../access/roles-cache';
import { companyOf, findGroup, groupPath } from '../access/tree';
import { SessionStore } from '../auth/sessions';
import type { Throttle } from '../auth/throttle';
import { companyOwner } from '../users/guards';
import { confirmStepUp, OWNERSHIP_ACCESS, stepUpCheck } from './transfer';
import { recordChange } from '../versions/object-versions';

/**
 * R10 and R11: an Owner of a company above gives a company its Owner (one that has members
 * but none, as older data may) or replaces it, confirmed with a fresh code. The heir is an
 * active, MFA-enrolled member homed in the company; they take the Owner role (the one the
 * company's Owner held, else the built-in Owner) and lose their Admin role there; the
 * previous Owner becomes Admin. Both parties' sessions end, as their rights changed.
 */
export const ownershipAssignHandler = (throttle: Throttle) =>
  handler('ownership.assign', {
    access: OWNERSHIP_ACCESS,
    async prepare(ctx, input) {
      const { db } = ctx;
      return { check: await stepUpCheck(db, ctx, input.code, 'assigning an Owner') };
    },
    run(ctx, input, { check }) {
      const { actor, db } = ctx;
      const company = findGroup(db, input.companyId);
      const path = groupPath(db, input.companyId);
      if (!company || !path || companyOf(db, company.id)?.id !== company.id)
        throw new OpError('VALIDATION', 'Owners are assigned to companies, not to locations or departments', { field: 'companyId' });
      const above = ownerBindings(bindingsOf(db, actor.userId)).some((b) => b.groupId !== company.id && path.ids.includes(b.groupId));
      if (!above)
        throw new OpError('FORBIDDEN', `Only an Owner of a company above ${company.name} can assign its Owner`, { field: 'companyId' });
      const heir = stmt<
        [string],
        { id: string; username: string; status: string; kind: string; totp_secret: Buffer | null; home_group_id: string }
      >(db, 'SELECT id, username, status, kind, totp_secret, home_group_id FROM users WHERE id = ?').get(input.toUserId);
      const previous = companyOwner(db, company.id);
      const problem = !heir
        ? 'That person no longer exists'
        : previous?.user_id === heir.id
          ? `${heir.username} already owns ${company.name}`
          : heir.kind !== 'member'
            ? 'Ownership cannot go to an external (delegated) user'
            : heir.status !== 'active'
              ? `${heir.username} is disabled`
              : !heir.totp_secret
                ? `${heir.username} has not set up two-step verification`
                : companyOf(db, heir.home_group_id)?.id !== company.id
                  ? `${heir.username} is not a member of ${company.name}`
                  : null;
      if (problem || !heir)
        throw new OpError('CONFLICT', `${problem}; an Owner is an active, MFA-enrolled member of the company`, { field: 'toUserId' });
      ctx.audit({ action: 'ownership.assign', target: { type: 'group', id: company.id, name: company.name }, groupId: company.id });
      const refused = confirmStepUp(db, ctx, throttle, check, 'no Owner was assigned');
      if (refused) return refused;

      const roles = allRoles(db);
      const ownerRole = previous?.role_id ?? [...roles.values()].find((r) => r.builtin === 'owner')?.id ?? '';
      // The previous Owner becomes Admin in the same role set: an Admin-meaning role of the Owner role's group, else the built-in one.
      const ownerRoleGroup = roles.get(ownerRole)?.ownerGroupId ?? null;
      const adminRole = [...roles.values()].find((r) => r.meaning === 'admin' && r.ownerGroupId === ownerRoleGroup)?.id ?? ADMIN_ROLE_ID;
      const unbind = stmt(db, 'DELETE FROM role_bindings WHERE user_id = ? AND role_id = ? AND group_id = ?');
      const bind = stmt(db, 'INSERT OR IGNORE INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
      stmt(
        db,
        "DELETE FROM role_bindings WHERE user_id = ? AND group_id = ? AND role_id IN (SELECT id FROM roles WHERE meaning = 'admin')",
      ).run(heir.id, company.id);
      if (previous) {
        unbind.run(previous.user_id, previous.role_id, company.id);
        bind.run(previous.user_id, adminRole, company.id);
      }
      bind.run(heir.id, ownerRole, company.id);
      for (const userId of [heir.id, ...(previous ? [previous.user_id] : [])])
        recordChange(db, ctx, { type: 'user', id: userId }, ['roles']);
      const sessions = new SessionStore(db);
      sessions.deleteAllOf(heir.id);
      if (previous) sessions.deleteAllOf(previous.user_id);
      ctx.audit({
        action: 'ownership.assign',
        target: { type: 'group', id: company.id, name: company.name },
        groupId: company.id,
        before: { owner: previous?.username ?? null },
        after: { owner: heir.username, ...(previous ? { previousOwnerNowAdmin: previous.username } : {}) },
      });
      return { newOwnerId: heir.id, companyId: company.id, previousOwnerId: previous?.user_id ?? null };
    },
  });
