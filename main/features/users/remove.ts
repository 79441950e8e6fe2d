import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler } from '../../dispatch/registry';
import type { RefusalReason } from '../../../shared/contract';
import { bindingsOf, resolveTarget } from '../access/access';
import { requireActor } from '../auth/deps';
import {
  actorAssigns,
  actorSubject,
  dominatesAt,
  holdRefusal,
  loadAssignments,
  loadPlaces,
  pairKey,
  REFUSAL_MESSAGES,
} from '../devices/classify';
import { bindingSummaries } from './bindings';
import { actOnUser, personNeeds } from './guards';

/**
 * Handing over is all or nothing, by the rule devices.assign applies: the remover must
 * be able to assign every device (one they may not see is not named), and the new holder
 * must be able to hold each one they do not hold yet.
 */
function requireHandOver(db: Db, actorId: string, leaving: string, heir: { id: string; name: string }, deviceIds: readonly string[]): void {
  const actor = actorSubject(db, actorId);
  const taker = { userId: heir.id, bindings: bindingsOf(db, heir.id) };
  const devices = stmt<[string], { id: string; group_id: string }>(
    db,
    'SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(deviceIds));
  const places = loadPlaces(
    db,
    devices.map((d) => d.group_id),
  );
  const assigned = loadAssignments(db, deviceIds, [actorId, heir.id]);
  let outOfScope = 0;
  const refused = new Map<RefusalReason, number>();
  for (const device of devices) {
    const place = places.get(device.group_id);
    if (!place || !actorAssigns(actor, device.id, place, assigned)) {
      outOfScope++;
      continue;
    }
    if (assigned.has(pairKey(device.id, heir.id))) continue;
    const reason =
      holdRefusal(taker, device.id, place) ??
      (dominatesAt(actor, taker, place, assigned.has(pairKey(device.id, actorId))) ? null : 'member-holds-more');
    if (reason) refused.set(reason, (refused.get(reason) ?? 0) + 1);
  }
  if (outOfScope > 0)
    throw new OpError(
      'FORBIDDEN',
      `Some of ${leaving}’s devices are outside your scope: your role lacks devices.assign (Assign devices to team members) on them. Remove ${leaving} without handing over devices, or ask someone who oversees them.`,
      { field: 'reassignDevicesTo' },
    );
  const [first] = [...refused];
  if (first) {
    const count = [...refused.values()].reduce((a, b) => a + b, 0);
    // Holding more than the remover is about the remover's rights (R7, R10), not a fault in the input.
    throw new OpError(
      first[0] === 'member-holds-more' ? 'FORBIDDEN' : 'VALIDATION',
      `${heir.name} cannot take over ${count} of ${leaving}’s ${devices.length} devices. ${REFUSAL_MESSAGES[first[0]]}. Pick a member who can hold them, or remove ${leaving} without handing over devices.`,
      { field: 'reassignDevicesTo' },
    );
  }
}

/**
 * Seed 000: removing a member revokes their access; their devices stay backed up and can
 * be reassigned (here, in the same transaction). Seeds 002/004 and R14: not
 * oneself, not the first admin, not an external user, not the Owner.
 */
export const usersRemoveHandler = () =>
  handler('users.remove', {
    access: {
      kind: 'scoped',
      keys: ['users.delete', 'users.view'],
      needs: (input) => [
        ...personNeeds('users.delete', input.id, 'id'),
        // The heir gains the devices: dominance over them where those devices are is checked with the hand-over.
        ...(input.reassignDevicesTo
          ? [{ permission: 'users.view', on: { type: 'user' as const, id: input.reassignDevicesTo, field: 'reassignDevicesTo' } }]
          : []),
      ],
    },
    run(ctx, input) {
      const { db } = ctx;
      const actor = requireActor(ctx);
      const user = actOnUser(db, ctx, input.id);
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
        const heir = resolveTarget(db, 'user', input.reassignDevicesTo, actor.userId);
        if (!heir) throw new OpError('NOT_FOUND', 'That person no longer exists', { field: 'reassignDevicesTo' });
        const status = stmt<[string], { status: string }>(db, 'SELECT status FROM users WHERE id = ?').get(heir.id)?.status;
        if (status !== 'active')
          throw new OpError('CONFLICT', `${heir.name} is disabled and cannot take over devices`, { field: 'reassignDevicesTo' });
        requireHandOver(db, actor.userId, user.username, heir, devices);
        const assign = stmt(db, 'INSERT OR IGNORE INTO device_assignments (device_id, user_id) VALUES (?, ?)');
        for (const deviceId of devices) reassigned += assign.run(deviceId, heir.id).changes;
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
