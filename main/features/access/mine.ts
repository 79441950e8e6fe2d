import type { MyAccess } from '../../../shared/contract';
import { homeGroupOf } from '../users/directory';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { bindingsOf } from './access';
import { groupPath } from './tree';

/** The caller's own bindings: no permission is needed to know what one holds. */
export const accessMineHandler = () =>
  handler('access.mine', {
    access: { kind: 'self' },
    run(ctx) {
      const { actor, db } = ctx;
      const homeId = homeGroupOf(db, actor.userId);
      const home = homeId ? groupPath(db, homeId) : undefined;
      if (!homeId || !home) throw new OpError('NOT_FOUND', 'Your account no longer exists');
      const bindings: MyAccess['bindings'] = [];
      for (const binding of bindingsOf(db, actor.userId)) {
        const path = groupPath(db, binding.groupId);
        if (!path) continue;
        bindings.push({
          groupId: binding.groupId,
          groupName: path.fromRoot[path.fromRoot.length - 1]?.name ?? '',
          path: path.ids,
          kind: path.kind,
          role: {
            id: binding.role.id,
            name: binding.role.name,
            permissions: [...binding.role.permissions].sort(),
            deviceVisibility: binding.role.deviceVisibility,
          },
        });
      }
      return { bindings, home: { groupId: homeId, path: home.ids, kind: home.kind } };
    },
  });
