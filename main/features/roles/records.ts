import type { RoleHolder, RoleVersion } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { AccessRule } from '../../dispatch/registry';
import { scopeCondition } from '../access/access';
import { allRoles } from '../access/roles-cache';

/**
 * The rule of an operation on one role (`{ id }`): `key` on the role at its owner group.
 * Built-in roles belong to no group and are the same everywhere, so for them holding
 * `key` anywhere is enough (their existence is no tenant's secret); the handler still
 * refuses to change one.
 */
export function roleNeeds(key: string): Extract<AccessRule<{ id: string }>, { kind: 'scoped' }> {
  return {
    kind: 'scoped',
    anywhere: key,
    keys: [key],
    needs: (input, _actor, db) =>
      allRoles(db).get(input.id)?.builtin ? [] : [{ permission: key, on: { type: 'role', id: input.id, field: 'id' } }],
  };
}

/** Keys the role reads filter by (roles.view for roles, users.view for holders), for the catalog-coverage test. */
export const ROLE_READ_KEYS = ['roles.view', 'users.view'] as const;

/** Every binding of the role, whoever holds it: for the in-use rule, which must not depend on who asks. */
export function holdersOf(db: Db, roleId: string): RoleHolder[] {
  return stmt<[string], RoleHolder>(
    db,
    `SELECT u.id AS userId, u.username, g.id AS groupId, g.name AS groupName FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups g ON g.id = b.group_id WHERE b.role_id = ? ORDER BY u.username`,
  ).all(roleId);
}

/**
 * The holders `readerId` may see (users.view, the same rule as the members list): a
 * built-in role is held in every company, and one tenant must not read another's names.
 */
export function visibleHoldersOf(db: Db, roleId: string, readerId: string): RoleHolder[] {
  const scope = holderScope(db, readerId);
  return stmt<Record<string, string>, RoleHolder>(
    db,
    `SELECT u.id AS userId, u.username, g.id AS groupId, g.name AS groupName FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups g ON g.id = b.group_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE b.role_id = @roleId AND ${scope.sql} ORDER BY u.username`,
  ).all({ ...scope.params, roleId });
}

/** People (not bindings) holding each role, counting only those `readerId` may see. */
export function visibleHolderCounts(db: Db, readerId: string): Map<string, number> {
  const scope = holderScope(db, readerId);
  const rows = stmt<Record<string, string>, { roleId: string; people: number }>(
    db,
    `SELECT b.role_id AS roleId, COUNT(DISTINCT b.user_id) AS people FROM role_bindings b
     JOIN users u ON u.id = b.user_id JOIN groups hg ON hg.id = u.home_group_id
     WHERE ${scope.sql} GROUP BY b.role_id`,
  ).all(scope.params);
  return new Map(rows.map((r) => [r.roleId, r.people]));
}

/**
 * The one holder filter of role reads (roles.get, roles.list's counts, roles.preview,
 * in-use refusals): a holder is named or counted only where `readerId` holds users.view
 * (as in the members list), over SQL aliases `u` (users) and `hg` (their home group).
 */
export function holderScope(db: Db, readerId: string) {
  return scopeCondition(db, readerId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind', user: 'u.id' }, 'holder');
}

/** Shown instead of the author of a version the reader may not see. */
export const HIDDEN_AUTHOR = '(someone you may not see)';

/**
 * The role's versions as `readerId` may read them: an author the reader may not see
 * (users.view, the holder filter) is not named, since a role owned by a reseller may be
 * edited by the provider's staff.
 */
export function visibleVersionsOf(db: Db, roleId: string, readerId: string): RoleVersion[] {
  const scope = holderScope(db, readerId);
  const seen = stmt<Record<string, string>, { username: string }>(
    db,
    `SELECT u.username FROM users u JOIN groups hg ON hg.id = u.home_group_id
     WHERE u.username IN (SELECT by_name FROM role_versions WHERE role_id = @roleId) AND (u.id = @reader OR ${scope.sql})`,
  ).all({ ...scope.params, roleId, reader: readerId });
  const named = new Set(seen.map((r) => r.username.toLowerCase()));
  // '' is no one: the role as it stood before its history was kept (migration 012, or a role written without roles.create).
  return versionsOf(db, roleId).map((v) => (v.by === '' || named.has(v.by.toLowerCase()) ? v : { ...v, by: HIDDEN_AUTHOR }));
}

export function versionsOf(db: Db, roleId: string): RoleVersion[] {
  return stmt<
    [string],
    {
      version: number;
      at: number;
      by_name: string;
      name: string;
      description: string;
      device_visibility: RoleVersion['deviceVisibility'];
      scope_kind: RoleVersion['scopeKind'];
      permissions: string;
    }
  >(
    db,
    'SELECT version, at, by_name, name, description, device_visibility, scope_kind, permissions FROM role_versions WHERE role_id = ? ORDER BY version DESC',
  )
    .all(roleId)
    .map((r) => ({
      version: r.version,
      at: r.at,
      by: r.by_name,
      name: r.name,
      description: r.description,
      deviceVisibility: r.device_visibility,
      scopeKind: r.scope_kind,
      permissions: JSON.parse(r.permissions) as string[],
    }));
}

/** Saves the role's current state as its next version; returns the version number. */
export function recordVersion(db: Db, roleId: string, at: number, by: string): number {
  const role = stmt<
    [string],
    {
      name: string;
      description: string;
      device_visibility: string;
      scope_kind: string | null;
    }
  >(db, 'SELECT name, description, device_visibility, scope_kind FROM roles WHERE id = ?').get(roleId);
  const keys = stmt<[string], { permission: string }>(db, 'SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission')
    .all(roleId)
    .map((r) => r.permission);
  const version =
    (stmt<[string], { v: number | null }>(db, 'SELECT max(version) AS v FROM role_versions WHERE role_id = ?').get(roleId)?.v ?? 0) + 1;
  stmt(
    db,
    'INSERT INTO role_versions (role_id, version, at, by_name, name, description, device_visibility, scope_kind, permissions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    roleId,
    version,
    at,
    by,
    role?.name ?? '',
    role?.description ?? '',
    role?.device_visibility ?? 'scope',
    role?.scope_kind ?? null,
    JSON.stringify(keys),
  );
  return version;
}
