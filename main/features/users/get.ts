import { NOTIFICATION_TOPICS, type NotificationPreferences, type UserActions, type UserDetail } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { dominanceGaps } from '../../../shared/access/dominance';
import { mayActOnOwner } from '../../../shared/access/owner';
import { bindingsOf, check, requirePermission, scopeCondition } from '../access/access';
import { describeGap, dominatedPerson } from '../access/authorize';
import { departmentsOf } from './departments';
import { toSummary, USER_COLUMNS, type UserRow } from './list';

export function parseNotifications(text: string): NotificationPreferences {
  const stored = JSON.parse(text) as Partial<NotificationPreferences>;
  return Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, stored[t] ?? t !== 'weeklyReport'])) as NotificationPreferences;
}

/** What the caller may do to this user, with the reason for each refusal (seed 002's troubleshooting). */
function actions(db: Db, actorId: string, user: UserDetail): UserActions {
  const target = requirePermission(db, actorId, 'users.view', 'user', user.id);
  const reasons: UserActions['reasons'] = {};
  const self = user.id === actorId;
  const may = (key: string) => check(db, actorId, key, target).allowed;
  const deny = (action: keyof UserActions['reasons'], ...why: Array<string | false>) => {
    const reason = why.find((w): w is string => typeof w === 'string');
    if (reason) reasons[action] = reason;
    return !reason;
  };
  const actorBindings = bindingsOf(db, actorId);
  const person = dominatedPerson(db, actorId, user.id);
  const personBindings = person.bindings;
  // The same rules the dispatcher applies (R7, R10), so the console greys out exactly what the server refuses.
  const ownerGuard =
    !mayActOnOwner({ userId: actorId, bindings: actorBindings }, { userId: user.id, bindings: personBindings }) &&
    `${user.username} is an Owner; only they, or an Owner of a company above, change their account`;
  const gap = dominanceGaps(actorBindings, person)[0];
  const dominance = gap !== undefined && describeGap(db, actorId, user.username, gap);
  const edit = may('users.edit') ? dominance : 'Your role lacks users.edit (Edit users) here';
  return {
    edit: deny('edit', edit, ownerGuard),
    setRoles: deny('setRoles', edit, ownerGuard, user.protected && 'The first admin’s role cannot be changed'),
    setDepartments: deny('setDepartments', edit, ownerGuard),
    disable: deny(
      'disable',
      edit,
      ownerGuard,
      self && 'You cannot disable your own account',
      user.protected && 'The first admin cannot be disabled',
    ),
    resetPassword: deny('resetPassword', edit, ownerGuard),
    resetMfa: deny('resetMfa', edit, ownerGuard, user.mfa !== 'enrolled' && 'This user has no authenticator to reset'),
    remove: deny(
      'remove',
      may('users.delete') ? dominance : 'Your role lacks users.delete (Delete users) here',
      self && 'You cannot delete your own account',
      user.protected && 'The first admin is protected from deletion',
      user.kind === 'external' && 'External users can be disabled but not deleted',
      ownerGuard,
      user.isOwner && 'Transfer ownership before removing the Owner',
    ),
    reasons,
  };
}

export const usersGetHandler = () =>
  handler('users.get', {
    access: {
      kind: 'scoped',
      keys: ['users.view'],
      needs: (input) => [{ permission: 'users.view', on: { type: 'user', id: input.id, field: 'id' } }],
    },
    run(ctx, input) {
      const { actor, db } = ctx;
      const row = stmt<[string], UserRow & { notifications: string }>(
        db,
        `SELECT ${USER_COLUMNS}, u.notifications FROM users u JOIN groups hg ON hg.id = u.home_group_id WHERE u.id = ?`,
      ).get(input.id);
      if (!row) throw new OpError('NOT_FOUND', 'That user no longer exists', { field: 'id' });
      // Only the member's devices the caller may see are counted (seed 000: every count obeys visibility).
      const visible = scopeCondition(db, actor.userId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'dv');
      const devices =
        stmt<Record<string, string>, { n: number }>(
          db,
          `SELECT count(*) AS n FROM device_assignments a JOIN devices d ON d.id = a.device_id JOIN groups g ON g.id = d.group_id
           WHERE a.user_id = @member AND ${visible.sql}`,
        ).get({ ...visible.params, member: input.id })?.n ?? 0;
      const detail: UserDetail = {
        ...toSummary(db, row, actor.userId),
        departments: departmentsOf(db, input.id),
        notifications: parseNotifications(row.notifications),
        deviceCount: devices,
        can: {
          edit: false,
          setRoles: false,
          setDepartments: false,
          disable: false,
          resetPassword: false,
          resetMfa: false,
          remove: false,
          reasons: {},
        },
      };
      return { ...detail, can: actions(db, actor.userId, detail) };
    },
  });
