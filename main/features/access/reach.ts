import { escalationGaps } from '../../../shared/access/escalation';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { bindingsOf } from './access';
import { allRoles } from './roles-cache';
import { groupPath } from './tree';

/**
 * R8: a change that puts a person under a group (a department membership) must not give
 * anyone reach the actor could not grant. Every binding on the group's path that does not
 * already reach the person (it sits on none of their current paths) gains their role over
 * the person; the actor must hold each such role's keys at the group (R5's test).
 * Holders the actor may not see are counted, not named.
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
  const fresh = path.ids.filter((id) => !reached.has(id));
  if (fresh.length === 0) return;
  const roles = allRoles(db);
  const actor = bindingsOf(db, actorId);
  const rows = stmt<[string], { role_id: string }>(
    db,
    'SELECT DISTINCT role_id FROM role_bindings WHERE group_id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(fresh));
  for (const row of rows) {
    const role = roles.get(row.role_id);
    if (!role) continue;
    const gaps = escalationGaps(actor, role, { path: path.ids });
    if (gaps.length > 0)
      throw new OpError(
        'FORBIDDEN',
        `Someone holds ${role.name} there, which would reach this person with rights you do not hold (${gaps.slice(0, 3).join(', ')})`,
        { field },
      );
  }
}
