import { ROLE_TEMPLATES } from '../../../shared/access/templates';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { allRoles } from '../access/roles-cache';
import { currentRoleVersion } from '../versions/role-base';
import { rolesListHandler } from './list';
import { roleNeeds, visibleHoldersOf, visibleVersionsOf } from './records';

export function roleReadHandlers(): RegisteredHandler[] {
  return [
    rolesListHandler(),
    handler('roles.get', {
      access: roleNeeds('roles.view'),
      run(ctx, input) {
        const { db } = ctx;
        const role = allRoles(db).get(input.id);
        if (!role) throw new Error('role vanished inside a transaction');
        return {
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
          version: currentRoleVersion(db, role.id),
          holders: visibleHoldersOf(db, role.id, ctx.actor.userId),
          versions: visibleVersionsOf(db, role.id, ctx.actor.userId),
        };
      },
    }),
    // Templates start a new role, so they are offered to whoever may create roles somewhere.
    handler('roles.templates', {
      access: { kind: 'anywhere', permission: 'roles.create' },
      run: () => ({ templates: [...ROLE_TEMPLATES] }),
    }),
  ];
}
