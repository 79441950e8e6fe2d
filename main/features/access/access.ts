import { decide, type Binding, type Decision, type Target, type TargetType } from '../../../shared/access/decide';
import { permission as lookup } from '../../../shared/access/catalog';
import { explainDecision } from '../../../shared/access/explain';
import { GROUP_KINDS, type GroupKind } from '../../../shared/access/groups';
import { moduleAvailable } from '../../../shared/access/modules';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { allRoles } from './roles-cache';
import { findGroup, groupPath, rootGroup, type GroupPath } from './tree';

export function bindingsOf(db: Db, userId: string): Binding[] {
  const roles = allRoles(db);
  const out: Binding[] = [];
  for (const row of stmt<[string], { role_id: string; group_id: string }>(
    db,
    'SELECT role_id, group_id FROM role_bindings WHERE user_id = ?',
  ).all(userId)) {
    const role = roles.get(row.role_id);
    if (role) out.push({ groupId: row.group_id, role });
  }
  return out;
}

/**
 * The part of a path (root first) a reader may be shown (R13; issue 15, finding 4): from the
 * highest group where the reader holds groups.view down. Groups above that are neither named
 * nor offered as links. A reader who sees none of them is shown the last group alone: the
 * object's own group, which its row already names. Shape: the same nodes, root first.
 */
export function pathSeenBy<T extends { id: string }>(db: Db, readerId: string, fromRoot: readonly T[]): T[] {
  const viewRoots = new Set(bindingsOf(db, readerId).flatMap((b) => (b.role.permissions.has('groups.view') ? [b.groupId] : [])));
  const top = fromRoot.findIndex((g) => viewRoots.has(g.id));
  return top >= 0 ? fromRoot.slice(top) : fromRoot.slice(-1);
}

export interface ResolvedTarget extends Target {
  name: string;
  groupPath: GroupPath;
}

/** Reduces an object to what `decide` needs; undefined when it does not exist. */
export function resolveTarget(db: Db, type: TargetType, id: string, subjectId: string): ResolvedTarget | undefined {
  let groupId: string | undefined;
  let name: string;
  let assignedToSubject: boolean | undefined;
  if (type === 'group') {
    const group = findGroup(db, id);
    groupId = group?.id;
    name = group?.name ?? '';
  } else if (type === 'user') {
    const user = stmt<[string], { home_group_id: string; username: string }>(
      db,
      'SELECT home_group_id, username FROM users WHERE id = ?',
    ).get(id);
    groupId = user?.home_group_id;
    name = user?.username ?? '';
  } else if (type === 'role') {
    const role = allRoles(db).get(id);
    groupId = role ? (role.ownerGroupId ?? rootGroup(db)?.id) : undefined;
    name = role?.name ?? '';
  } else if (type === 'invitation') {
    const invitation = stmt<[string], { group_id: string; email: string }>(db, 'SELECT group_id, email FROM invitations WHERE id = ?').get(
      id,
    );
    groupId = invitation?.group_id;
    name = invitation?.email ?? '';
  } else {
    const device = stmt<[string], { group_id: string; name: string }>(db, 'SELECT group_id, name FROM devices WHERE id = ?').get(id);
    groupId = device?.group_id;
    name = device?.name ?? '';
    assignedToSubject = stmt(db, 'SELECT 1 FROM device_assignments WHERE device_id = ? AND user_id = ?').get(id, subjectId) !== undefined;
  }
  const path = groupId ? groupPath(db, groupId) : undefined;
  if (!path) return undefined;
  return {
    type,
    id,
    name,
    path: type === 'user' ? [...path.ids, ...memberDepartments(db, id, path.ids)] : path.ids,
    kind: path.kind,
    groupPath: path,
    ...(assignedToSubject === undefined ? {} : { assignedToSubject }),
  };
}

/**
 * Seed 004: a user belongs to their home group and to the departments they are members
 * of, so a binding at one of those departments (Group Supervisor) reaches them. Only
 * users: devices and roles belong to one group.
 */
function memberDepartments(db: Db, userId: string, homePath: readonly string[]): string[] {
  return stmt<[string], { id: string }>(
    db,
    'SELECT DISTINCT c.ancestor AS id FROM user_departments d JOIN group_closure c ON c.descendant = d.group_id WHERE d.user_id = ?',
  )
    .all(userId)
    .map((r) => r.id)
    .filter((id) => !homePath.includes(id));
}

export function check(db: Db, userId: string, permission: string, target: Target): Decision {
  return decide(bindingsOf(db, userId), permission, target);
}

export function subjectName(db: Db, userId: string): string {
  const row = stmt<[string], { username: string; full_name: string }>(db, 'SELECT username, full_name FROM users WHERE id = ?').get(userId);
  return row ? row.full_name || row.username : 'This user';
}

/** `userId`'s own decision explained to them: the path is named only from where they see it. */
export function explainFor(db: Db, userId: string, decision: Decision, target: ResolvedTarget): string {
  const groupNames = new Map(target.groupPath.fromRoot.map((g) => [g.id, g.name]));
  const groupName = (id: string) => groupNames.get(id) ?? findGroup(db, id)?.name ?? id;
  return explainDecision(decision, {
    subject: subjectName(db, userId),
    target: target.name,
    pathNames: pathSeenBy(db, userId, target.groupPath.fromRoot).map((g) => g.name),
    kind: target.kind,
    groupName,
    allBindings: bindingsOf(db, userId).map((b) => `${b.role.name} at ${groupName(b.groupId)}`),
  });
}

/**
 * Refuses with FORBIDDEN and the explanation unless `userId` may do `permission` on
 * the target. An object the caller may not even see answers NOT_FOUND instead, so that
 * existence does not leak.
 */
export function requirePermission(
  db: Db,
  userId: string,
  permission: string,
  type: TargetType,
  id: string,
  field?: string,
): ResolvedTarget {
  const target = resolveTarget(db, type, id, userId);
  const notFound = new OpError('NOT_FOUND', `No ${type} with id ${id} exists, or you may not see it`, {
    field: field ?? (type === 'group' ? 'id' : `${type}Id`),
  });
  if (!target) throw notFound;
  const decision = check(db, userId, permission, target);
  if (decision.allowed) return target;
  const viewKey = VIEW_KEY[type];
  if (viewKey === permission || !check(db, userId, viewKey, target).allowed) throw notFound;
  throw new OpError('FORBIDDEN', explainFor(db, userId, decision, target), field ? { field } : {});
}

/**
 * A person's home group kind as a column for scopeCondition (`u` is the users row), read only
 * when a permission is limited by kind: joining groups for it cost a lookup per person on
 * every count (2.5 ms of 6,700 people at 1M devices) for a test no users.view key needs.
 */
export const HOME_GROUP_KIND = '(SELECT hk.kind FROM groups hk WHERE hk.id = u.home_group_id)';

/** An invitation's group kind, likewise (`i` is the invitations row). */
export const INVITATION_GROUP_KIND = '(SELECT ik.kind FROM groups ik WHERE ik.id = i.group_id)';

/** The permission that makes an object of each type visible at all. */
export const VIEW_KEY: Record<TargetType, string> = {
  group: 'groups.view',
  user: 'users.view',
  role: 'roles.view',
  device: 'devices.view',
  invitation: 'users.view',
};

/**
 * Where `subjectId` holds `permissionKey`: the groups of the bindings that grant it (with
 * `byDeviceVisibility`, those of roles that see only assigned devices apart, in `assigned`),
 * and the group kinds where its module exists (none for an unknown key). The reading of
 * bindings behind scopeCondition, for callers that test membership in code (the tree) rather
 * than in SQL. `bindings` stands in for the subject's current ones (a job's, from its start).
 */
export function scopeRoots(
  db: Db,
  subjectId: string,
  permissionKey: string,
  byDeviceVisibility = false,
  bindings?: readonly Binding[],
): { scope: Set<string>; assigned: Set<string>; kinds: GroupKind[] } {
  const def = lookup(permissionKey);
  const kinds = def ? GROUP_KINDS.filter((k) => moduleAvailable(def.module, k)) : [];
  const roots = { scope: new Set<string>(), assigned: new Set<string>() };
  for (const binding of def ? (bindings ?? bindingsOf(db, subjectId)) : []) {
    if (binding.role.permissions.has(def?.key ?? ''))
      roots[byDeviceVisibility ? binding.role.deviceVisibility : 'scope'].add(binding.groupId);
  }
  return { ...roots, kinds };
}

/**
 * The SQL condition "the subject may do `permission` on the object whose group is in
 * `groupColumn` (of kind `kindColumn`)": the same rule as `decide`, for lists. The
 * subject's bindings are read once here, so the query tests membership in a few subtrees
 * instead of searching bindings row by row. Parameters are named and must be passed as
 * returned; nothing from the caller is spliced in.
 */
export function scopeCondition(
  db: Db,
  subjectId: string,
  permissionKey: string,
  columns: { group: string; kind: string; device?: string; user?: string },
  prefix = 'scope',
) {
  const { kinds, ...roots } = scopeRoots(db, subjectId, permissionKey, columns.device !== undefined);
  // Held at the root, the subtree test holds for every group there is: the query then reads no closure rows (issue 18's
  // speed), and a row with no group still matches nothing, as the subtree test would.
  const everywhere = roots.scope.size > 0 && roots.scope.has(rootGroup(db)?.id ?? '');
  const inSubtrees = (param: string) =>
    everywhere && param === `@${prefix}Roots`
      ? `${columns.group} IS NOT NULL`
      : `${columns.group} IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(${param})))`;
  const assigned = columns.device
    ? ` OR (${inSubtrees(`@${prefix}AssignedRoots`)} AND EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = ${columns.device} AND a.user_id = @${prefix}Subject))`
    : '';
  // A user is also reached through the departments they are members of (see memberDepartments).
  const member = columns.user
    ? ` OR EXISTS (SELECT 1 FROM user_departments m WHERE m.user_id = ${columns.user} AND m.group_id IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@${prefix}Roots))))`
    : '';
  // Most permissions exist at every kind (seed 001 limits only deployment); then the kind test is skipped.
  const kindTest = kinds.length === GROUP_KINDS.length ? '' : `${columns.kind} IN (SELECT value FROM json_each(@${prefix}Kinds)) AND `;
  return {
    sql: `(${kindTest}(${inSubtrees(`@${prefix}Roots`)}${assigned}${member}))`,
    /** True when the condition holds for every row whose group exists (held at the root, at every kind). */
    everyGroup: everywhere && kindTest === '',
    params: {
      [`${prefix}Kinds`]: JSON.stringify(kinds),
      [`${prefix}Roots`]: JSON.stringify([...roots.scope]),
      ...(columns.device ? { [`${prefix}AssignedRoots`]: JSON.stringify([...roots.assigned]), [`${prefix}Subject`]: subjectId } : {}),
    },
  };
}
