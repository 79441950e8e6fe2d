import { permission as lookup } from '../../../shared/access/catalog';
import { moduleAvailable } from '../../../shared/access/modules';
import type { WhoCanAnswer, WhoCanEntry } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { check, scopeCondition, type ResolvedTarget } from './access';
import { allRoles } from './roles-cache';
import { findGroup } from './tree';

interface Holder {
  id: string;
  username: string;
  full_name: string;
  role_id: string;
  group_id: string;
  visible: number;
}

function isAssigned(db: Db, deviceId: string, userId: string): boolean {
  return stmt(db, 'SELECT 1 FROM device_assignments WHERE device_id = ? AND user_id = ?').get(deviceId, userId) !== undefined;
}

/**
 * Who may do `permissionKey` on `target` (R2, R22): every active person with a binding on the
 * target's path whose role grants the key, where its module exists, and, for a device under a
 * role that sees assigned devices only, holding the device. People `readerId` may see
 * (users.view) are named, once each, by the first role found, sorted by username; the others
 * are only counted (`hidden`, R13). The one answer for "who can see this": Access › Who can
 * (`access.whoCan`) and the device panel (`devices.get`'s `seenBy`) both come from here, so
 * they cannot disagree. Throws nothing: an unknown key answers nobody.
 */
export function whoCan(db: Db, readerId: string, permissionKey: string, target: ResolvedTarget): WhoCanAnswer {
  const def = lookup(permissionKey);
  if (!def || !moduleAvailable(def.module, target.kind)) return { subjects: [], hidden: 0 };
  const roles = allRoles(db);
  const visible = scopeCondition(db, readerId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind', user: 'u.id' });
  const rows = stmt<Record<string, string>, Holder>(
    db,
    `SELECT u.id, u.username, u.full_name, b.role_id, b.group_id, (u.id = @reader OR ${visible.sql}) AS visible FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE b.group_id IN (SELECT value FROM json_each(@path)) AND u.status = 'active'
     ORDER BY u.username`,
  ).all({ path: JSON.stringify(target.path), reader: readerId, ...visible.params });
  const counted = new Set<string>();
  const subjects: WhoCanEntry[] = [];
  let hidden = 0;
  for (const row of rows) {
    const role = roles.get(row.role_id);
    if (!role?.permissions.has(def.key) || counted.has(row.id)) continue;
    if (
      target.type === 'device' &&
      role.deviceVisibility === 'assigned' &&
      !check(db, row.id, def.key, { ...target, assignedToSubject: isAssigned(db, target.id, row.id) }).allowed
    )
      continue;
    counted.add(row.id);
    if (!row.visible) {
      hidden += 1;
      continue;
    }
    subjects.push({
      userId: row.id,
      username: row.username,
      fullName: row.full_name,
      roleName: role.name,
      groupName: findGroup(db, row.group_id)?.name ?? '',
    });
  }
  return { subjects, hidden };
}
