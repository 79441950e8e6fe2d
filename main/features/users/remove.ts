import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import { requirePermission } from '../access/access';
import { requireActor } from '../auth/deps';
import { bindingSummaries } from './bindings';
import { actOnUser } from './guards';

/**
 * Seed 000: removing a member revokes their access; their devices stay backed up and can
 * be reassigned (here, in the same transaction). Seeds 002/004 and DESIGN.md 3.6: not
 * oneself, not the first admin, not an external user, not the Owner.
 */
export const usersRemoveHandler = (db: Db) =>
  handler('users.remove', {
    access: { kind: 'self' },
    run(ctx, input) {
      const actor = requireActor(ctx);
      const user = actOnUser(db, ctx, input.id, 'users.delete');
      if (user.id === actor.userId) throw new OpError('FORBIDDEN', 'You cannot delete your own account', { field: 'id' });
      if (user.protected) throw new OpError('FORBIDDEN', 'The first admin is protected from deletion', { field: 'id' });
      if (user.kind === 'external') throw new OpError('FORBIDDEN', 'External users can be disabled but not deleted', { field: 'id' });
      if (user.isOwner) throw new OpError('FORBIDDEN', 'Transfer ownership before removing the Owner', { field: 'id' });
      const devices = stmt<[string], { device_id: string }>(db, 'SELECT device_id FROM device_assignments WHERE user_id = ?')
        .all(user.id)
        .map((r) => r.device_id);
      let reassigned = 0;
      if (input.reassignDevicesTo) {
        if (input.reassignDevicesTo === user.id)
          throw new OpError('CONFLICT', 'Pick someone other than the member being removed', { field: 'reassignDevicesTo' });
        const heir = requirePermission(db, actor.userId, 'users.view', 'user', input.reassignDevicesTo);
        const status = stmt<[string], { status: string }>(db, 'SELECT status FROM users WHERE id = ?').get(heir.id)?.status;
        if (status !== 'active')
          throw new OpError('CONFLICT', `${heir.name} is disabled and cannot take over devices`, { field: 'reassignDevicesTo' });
        const assign = stmt(db, 'INSERT OR IGNORE INTO device_assignments (device_id, user_id) VALUES (?, ?)');
        for (const deviceId of devices) {
          requirePermission(db, actor.userId, 'devices.assign', 'device', deviceId);
          reassigned += assign.run(deviceId, heir.id).changes;
        }
      }
      const before = {
        username: user.username,
        bindings: bindingSummaries(db, user.id).map((b) => `${b.roleName} at ${b.groupName}`),
        devicesAssigned: devices.length,
        devicesReassignedTo: input.reassignDevicesTo ?? null,
      };
      ctx.audit({ target: { type: 'user', id: user.id, name: user.username }, groupId: user.homeGroupId, before });
      stmt(db, 'DELETE FROM users WHERE id = ?').run(user.id);
      return { removed: true as const, devicesReassigned: reassigned };
    },
  });
