import type { BindingSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { decide } from '../../../shared/access/decide';
import { bindingsOf } from '../access/access';
import { allRoles } from '../access/roles-cache';
import { groupPath } from '../access/tree';

/**
 * A person's bindings as `readerId` may read them (R13): those at groups the reader sees
 * (groups.view there) are named; the others are only counted.
 */
export function visibleBindingSummaries(db: Db, userId: string, readerId: string): { bindings: BindingSummary[]; hiddenBindings: number } {
  const reader = bindingsOf(db, readerId);
  const all = bindingSummaries(db, userId);
  const bindings = all.filter((b) => {
    const path = groupPath(db, b.groupId);
    return path !== undefined && decide(reader, 'groups.view', { type: 'group', id: b.groupId, path: path.ids, kind: path.kind }).allowed;
  });
  return { bindings, hiddenBindings: all.length - bindings.length };
}

export function bindingSummaries(db: Db, userId: string): BindingSummary[] {
  const roles = allRoles(db);
  return stmt<[string], { role_id: string; group_id: string; group_name: string }>(
    db,
    'SELECT b.role_id, b.group_id, g.name AS group_name FROM role_bindings b JOIN groups g ON g.id = b.group_id WHERE b.user_id = ? ORDER BY g.name, b.role_id',
  )
    .all(userId)
    .map((r) => ({ roleId: r.role_id, roleName: roles.get(r.role_id)?.name ?? r.role_id, groupId: r.group_id, groupName: r.group_name }));
}
