import { escalationGaps } from '../../../shared/access/escalation';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { bindingsOf } from './access';
import { allRoles } from './roles-cache';
import { groupPath } from './tree';

/** A binding that would newly reach people or devices, and the keys the actor lacks where they are. */
export interface ReachGap {
  userId: string;
  roleName: string;
  groupId: string;
  missing: string[];
}

/**
 * R8, the one test for "this change gives bindings new reach": every binding at a group of
 * `gained` (groups that will cover people or devices they did not cover before) gains its
 * role over what sits at `newPath`; the actor must already hold each such role's keys over
 * it (R5's test, devices seen as widely), judged where it is now (`heldAt`, a path from the
 * object up; `newPath` when it does not move). The actor's own bindings at `gained` groups
 * are among those gaining reach, so they never vouch for themselves: an Admin at the
 * provider who owns a distributor may not move a customer under it and so become that
 * customer's Owner. Returns the bindings that fail, in group then user order.
 */
export function newReachGaps(
  db: Db,
  actorId: string,
  gained: readonly string[],
  newPath: readonly string[],
  heldAt: readonly string[] = newPath,
): ReachGap[] {
  if (gained.length === 0) return [];
  const roles = allRoles(db);
  const gaining = new Set(gained);
  const actor = bindingsOf(db, actorId).filter((b) => !gaining.has(b.groupId));
  const gaps: ReachGap[] = [];
  for (const b of stmt<[string], { user_id: string; role_id: string; group_id: string }>(
    db,
    'SELECT user_id, role_id, group_id FROM role_bindings WHERE group_id IN (SELECT value FROM json_each(?)) ORDER BY group_id, user_id',
  ).all(JSON.stringify(gained))) {
    const role = roles.get(b.role_id);
    if (!role) continue;
    const missing = escalationGaps(actor, role, { path: heldAt });
    if (missing.length > 0) gaps.push({ userId: b.user_id, roleName: role.name, groupId: b.group_id, missing });
  }
  return gaps;
}

/**
 * R8 for a department membership: the bindings on the department's path that do not
 * already reach the person (on none of their current paths) would reach them. Holders are
 * not named. Throws FORBIDDEN on `field`.
 */
export function requireNoNewReach(db: Db, actorId: string, groupId: string, personId: string, field: string): void {
  const path = groupPath(db, groupId);
  if (!path) return;
  const reached = new Set(
    stmt<[string, string], { id: string }>(
      db,
      `SELECT c.ancestor AS id FROM group_closure c WHERE c.descendant = (SELECT home_group_id FROM users WHERE id = ?)
       UNION SELECT c.ancestor FROM user_departments d JOIN group_closure c ON c.descendant = d.group_id WHERE d.user_id = ?`,
    )
      .all(personId, personId)
      .map((r) => r.id),
  );
  const gap = newReachGaps(
    db,
    actorId,
    path.ids.filter((id) => !reached.has(id)),
    path.ids,
  )[0];
  if (gap)
    throw new OpError(
      'FORBIDDEN',
      `Someone holds ${gap.roleName} there, which would reach this person with rights you do not hold (${gap.missing.slice(0, 3).join(', ')})`,
      { field },
    );
}
