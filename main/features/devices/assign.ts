import type { BulkAction } from '../../../shared/contract';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { actorSubject, classifyDevice, loadAssignments, loadMembers, loadPlaces, REFUSAL_MESSAGES } from './classify';
import { commonGroup } from './common-group';

/**
 * Direct assignment of a few devices (a row's menu, the device page): all or nothing, so
 * any refused pair refuses the call and names the device, the member and the reason.
 */
function directHandler(action: BulkAction): RegisteredHandler {
  return handler(action === 'assign' ? 'devices.assign' : 'devices.unassign', {
    // Every named device must be visible and assignable, every named member visible (the caller
    // is always visible to themselves); whether each member may hold each device stays below.
    access: {
      kind: 'scoped',
      anywhere: 'devices.assign',
      keys: ['devices.assign', 'users.view'],
      needs: (input, caller) => [
        ...input.deviceIds.map((id, i) => ({ permission: 'devices.assign', on: { type: 'device', id, field: `deviceIds.${i}` } }) as const),
        ...input.userIds.flatMap((id, i) =>
          id === caller.userId ? [] : [{ permission: 'users.view', on: { type: 'user', id, field: `userIds.${i}` } } as const],
        ),
      ],
    },
    run(ctx, input) {
      const { db } = ctx;
      const actor = actorSubject(db, ctx.actor.userId);
      const deviceIds = [...new Set(input.deviceIds)];
      const userIds = [...new Set(input.userIds)];
      const members = loadMembers(db, actor, userIds);
      const devices = stmt<[string], { id: string; name: string; group_id: string }>(
        db,
        'SELECT id, name, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(deviceIds));
      const byId = new Map(devices.map((d) => [d.id, d]));
      const places = loadPlaces(
        db,
        devices.map((d) => d.group_id),
      );
      const assigned = loadAssignments(db, deviceIds, [...userIds, actor.userId]);
      const pairs: Array<[string, string]> = [];
      let unchanged = 0;
      for (const deviceId of deviceIds) {
        const device = byId.get(deviceId);
        const outcome = classifyDevice(action, actor, deviceId, device && places.get(device.group_id), members, assigned);
        const refusal = outcome.refused[0];
        if (refusal) {
          const member = members.find((m) => m.userId === refusal.userId);
          const deviceField = `deviceIds.${input.deviceIds.indexOf(deviceId)}`;
          const memberField = `userIds.${input.userIds.indexOf(refusal.userId)}`;
          if (refusal.reason === 'device-not-found')
            throw new OpError('NOT_FOUND', `No device with id ${deviceId} exists, or you may not see it`, { field: deviceField });
          if (refusal.reason === 'member-not-visible')
            throw new OpError('NOT_FOUND', `No member with id ${refusal.userId} exists, or you may not see them`, { field: memberField });
          const who = refusal.reason === 'device-out-of-scope' ? '' : ` (${member?.username ?? refusal.userId})`;
          throw new OpError('FORBIDDEN', `${device?.name ?? deviceId}${who}: ${REFUSAL_MESSAGES[refusal.reason]}`, {
            field: refusal.reason === 'device-out-of-scope' ? deviceField : memberField,
          });
        }
        unchanged += outcome.unchanged;
        for (const userId of outcome.change) pairs.push([deviceId, userId]);
      }
      const write =
        action === 'assign'
          ? stmt(db, 'INSERT INTO device_assignments (device_id, user_id) VALUES (?, ?)')
          : stmt(db, 'DELETE FROM device_assignments WHERE device_id = ? AND user_id = ?');
      for (const [deviceId, userId] of pairs) write.run(deviceId, userId);
      const only = devices.length === 1 ? devices[0] : undefined;
      const home = commonGroup(devices.map((d) => [...(places.get(d.group_id)?.path ?? [])].reverse()));
      ctx.audit({
        target: only
          ? { type: 'device', id: only.id, name: only.name }
          : { type: 'devices', id: 'selection', name: `${devices.length} devices` },
        ...(home ? { groupId: home } : {}),
        after: {
          devices: devices.slice(0, 20).map((d) => d.name),
          deviceCount: devices.length,
          members: members.map((m) => m.username),
          changed: pairs.length,
          unchanged,
        },
      });
      return { changed: pairs.length, unchanged };
    },
  });
}

export const deviceAssignHandlers = (): RegisteredHandler[] => [directHandler('assign'), directHandler('unassign')];
