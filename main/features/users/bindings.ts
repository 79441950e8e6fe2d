import type { BindingSummary } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { allRoles } from '../access/roles-cache';

export function bindingSummaries(db: Db, userId: string): BindingSummary[] {
  const roles = allRoles(db);
  return stmt<[string], { role_id: string; group_id: string; group_name: string }>(
    db,
    'SELECT b.role_id, b.group_id, g.name AS group_name FROM role_bindings b JOIN groups g ON g.id = b.group_id WHERE b.user_id = ? ORDER BY g.name, b.role_id',
  )
    .all(userId)
    .map((r) => ({ roleId: r.role_id, roleName: roles.get(r.role_id)?.name ?? r.role_id, groupId: r.group_id, groupName: r.group_name }));
}
