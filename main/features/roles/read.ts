import { ROLE_TEMPLATES } from '../../../shared/access/templates';
import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { bindingsOf, requirePermission } from '../access/access';
import { allRoles } from '../access/roles-cache';
import { requireActor } from '../auth/deps';
import { rolesListHandler } from './list';
import { versionsOf, visibleHoldersOf } from './records';

export function roleReadHandlers(db: Db): RegisteredHandler[] {
  return [
    rolesListHandler(db),
    handler('roles.get', {
      access: { kind: 'self' },
      run(ctx, input) {
        const actor = requireActor(ctx);
        const role = allRoles(db).get(input.id);
        // Built-in roles belong to no group: whoever may view roles anywhere sees them.
        if (role?.builtin) {
          if (!bindingsOf(db, actor.userId).some((b) => b.role.permissions.has('roles.view')))
            throw new OpError('NOT_FOUND', 'That role does not exist, or you may not see it', { field: 'id' });
        } else {
          requirePermission(db, actor.userId, 'roles.view', 'role', input.id);
        }
        if (!role) throw new OpError('NOT_FOUND', 'That role does not exist', { field: 'id' });
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
          holders: visibleHoldersOf(db, role.id, actor.userId),
          versions: versionsOf(db, role.id),
        };
      },
    }),
    handler('roles.templates', { access: { kind: 'self' }, run: () => ({ templates: [...ROLE_TEMPLATES] }) }),
  ];
}
