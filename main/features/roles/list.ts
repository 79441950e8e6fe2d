import type { RoleListItem } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { bindingsOf, check, resolveTarget } from '../access/access';
import { allRoles } from '../access/roles-cache';
import { visibleHolderCounts } from './records';

/** The ids of the roles `actorId` may see (R13): built-in ones where they view roles anywhere, custom ones where they view roles at its group. */
export function visibleRoleIds(db: Db, actorId: string): Set<string> {
  const canView = (roleId: string) => {
    const target = resolveTarget(db, 'role', roleId, actorId);
    return target !== undefined && check(db, actorId, 'roles.view', target).allowed;
  };
  // Built-in roles belong to no group: whoever may view roles anywhere sees them.
  const viewsRolesSomewhere = bindingsOf(db, actorId).some((b) => b.role.permissions.has('roles.view'));
  return new Set([...allRoles(db).values()].filter((role) => (role.builtin ? viewsRolesSomewhere : canView(role.id))).map((r) => r.id));
}

/** Roles the caller may see: built-in ones, and custom roles whose owner group they may view roles at. */
export const rolesListHandler = () =>
  handler('roles.list', {
    access: { kind: 'list', permission: 'roles.view' },
    run(ctx) {
      const { actor, db } = ctx;
      const visible = visibleRoleIds(db, actor.userId);
      const counts = visibleHolderCounts(db, actor.userId);
      const versions = new Map(
        stmt<[], { role_id: string; v: number }>(db, 'SELECT role_id, max(version) AS v FROM role_versions GROUP BY role_id')
          .all()
          .map((r) => [r.role_id, r.v]),
      );
      const roles: RoleListItem[] = [];
      for (const role of allRoles(db).values()) {
        if (!visible.has(role.id)) continue;
        roles.push({
          id: role.id,
          name: role.name,
          description: role.description,
          builtin: role.builtin,
          ownerGroupId: role.ownerGroupId,
          deviceVisibility: role.deviceVisibility,
          permissions: [...role.permissions].sort(),
          protected: role.protected,
          scopeKind: role.scopeKind,
          meaning: role.meaning ?? null,
          holderCount: counts.get(role.id) ?? 0,
          // A built-in role has no history and never changes (see currentRoleVersion).
          version: versions.get(role.id) ?? 1,
        });
      }
      return { roles };
    },
  });
