import type { DepartmentMembership } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { requirePermission } from '../access/access';
import { companyOf, findGroup, isInSubtree } from '../access/tree';
import { requireNoNewReach } from '../access/reach';
import { requireMembershipNotSynced } from '../directory/store';
import { recordChange, requireBase } from '../versions/object-versions';
import { actOnUser, personNeeds } from './guards';

export function departmentsOf(db: Db, userId: string): DepartmentMembership[] {
  return stmt<[string], DepartmentMembership>(
    db,
    'SELECT g.id AS groupId, g.name AS groupName FROM user_departments d JOIN groups g ON g.id = d.group_id WHERE d.user_id = ? ORDER BY g.name',
  ).all(userId);
}

/**
 * Seed 004: a user may belong to several departments of their company, and a Group
 * Supervisor of a department reaches its members. The caller must be allowed to edit the
 * user and to edit users in every department added or taken away, so nobody widens a
 * supervisor's reach over a person they could not edit themselves.
 */
export const usersSetDepartmentsHandler = () =>
  handler('users.setDepartments', {
    access: {
      kind: 'scoped',
      keys: ['users.edit'],
      needs: (input) => [
        ...personNeeds('users.edit', input.userId, 'userId'),
        ...input.departmentIds.map((id, i) => ({
          permission: 'users.edit',
          on: { type: 'group' as const, id, field: `departmentIds.${i}` },
        })),
      ],
    },
    run(ctx, input) {
      const { actor, db } = ctx;
      const account = actOnUser(db, ctx, input.userId);
      const user = { name: account.username };
      const company = companyOf(db, account.homeGroupId);
      const before = departmentsOf(db, input.userId);
      const wanted = [...new Set(input.departmentIds)];
      const beforeIds = new Set(before.map((d) => d.groupId));
      const added = wanted.filter((id) => !beforeIds.has(id));
      const removed = before.map((d) => d.groupId).filter((id) => !wanted.includes(id));
      for (const id of [...added, ...removed]) {
        const index = input.departmentIds.indexOf(id);
        const field = index >= 0 ? `departmentIds.${index}` : 'departmentIds';
        const group = findGroup(db, id);
        if (!group) throw new OpError('NOT_FOUND', `There is no department with id ${id}`, { field });
        // A department taken away is not in the input: the same rule as the declared ones, here.
        if (removed.includes(id)) requirePermission(db, actor.userId, 'users.edit', 'group', id, field);
        requireMembershipNotSynced(db, id, field, account.username);
        if (added.includes(id)) {
          requireNoNewReach(db, actor.userId, id, account.id, field);
          if (group.kind !== 'department')
            throw new OpError('VALIDATION', `“${group.name}” is a ${group.kind.replace('_', '-')}, not a department`, { field });
          if (company && !isInSubtree(db, company.id, group.id))
            throw new OpError('VALIDATION', `${user.name} belongs to “${company.name}”; their departments must be inside it`, { field });
        }
      }
      // R12: authority and input first, then the copy's age.
      requireBase(db, ctx, { type: 'user', id: account.id }, input.baseVersion, `The account “${account.username}”`);
      const del = stmt(db, 'DELETE FROM user_departments WHERE user_id = ? AND group_id = ?');
      const ins = stmt(db, 'INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)');
      for (const id of removed) del.run(input.userId, id);
      for (const id of added) ins.run(input.userId, id);
      const after = departmentsOf(db, input.userId);
      const version = recordChange(
        db,
        ctx,
        { type: 'user', id: input.userId },
        added.length > 0 || removed.length > 0 ? ['departments'] : [],
      );
      ctx.audit({
        target: { type: 'user', id: input.userId, name: user.name },
        before: { departments: before.map((d) => d.groupName) },
        after: { departments: after.map((d) => d.groupName), version },
      });
      return { departments: after, version };
    },
  });
