import { BUILTIN_ROLES, type DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { RoleGrant } from '../../../shared/access/decide';
import type { RoleMeaning } from '../../../shared/access/owner';
import type { ScopeKind } from '../../../shared/access/templates';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';

export interface RoleRecord extends RoleGrant {
  builtin: string | null;
  ownerGroupId: string | null;
  description: string;
  protected: boolean;
  scopeKind: ScopeKind | null;
}

const cache = new WeakMap<Db, Map<string, RoleRecord>>();

/**
 * Every role with its permission set. Roles are few and read on every decision, so they
 * are held per connection and dropped whenever a command changes a role.
 */
export function allRoles(db: Db): Map<string, RoleRecord> {
  const hit = cache.get(db);
  if (hit) return hit;
  const rows = stmt<
    [],
    {
      id: string;
      owner_group_id: string | null;
      builtin: string | null;
      name: string;
      description: string;
      device_visibility: DeviceVisibility;
      protected: number;
      scope_kind: ScopeKind | null;
      meaning: RoleMeaning | null;
    }
  >(db, 'SELECT id, owner_group_id, builtin, name, description, device_visibility, protected, scope_kind, meaning FROM roles').all();
  const keys = new Map<string, Set<string>>();
  for (const row of stmt<[], { role_id: string; permission: string }>(db, 'SELECT role_id, permission FROM role_permissions').all()) {
    let set = keys.get(row.role_id);
    if (!set) keys.set(row.role_id, (set = new Set()));
    set.add(row.permission);
  }
  const roles = new Map<string, RoleRecord>();
  for (const row of rows) {
    const builtin = row.builtin ? BUILTIN_ROLES.find((r) => r.key === row.builtin) : undefined;
    roles.set(row.id, {
      id: row.id,
      name: builtin?.name ?? row.name,
      description: builtin?.description ?? row.description,
      builtin: row.builtin,
      ownerGroupId: row.owner_group_id,
      deviceVisibility: row.device_visibility,
      protected: row.protected === 1,
      scopeKind: row.scope_kind,
      meaning: row.meaning,
      permissions: builtin ? new Set(builtin.permissions) : (keys.get(row.id) ?? new Set()),
    });
  }
  cache.set(db, roles);
  return roles;
}

export function invalidateRoles(db: Db): void {
  cache.delete(db);
}

export const OWNER_ROLE_ID = 'builtin-owner';
export const ADMIN_ROLE_ID = 'builtin-admin';
