import type { DeviceStatus, StatusChange } from '../../../shared/contract';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';

interface Row {
  id: number;
  at: number;
  status: DeviceStatus;
  last_backup_at: number | null;
  previous_status: DeviceStatus | null;
  previous_backup_at: number | null;
}

/**
 * devices.statusHistory: a device's status timeline, newest recorded first (paged by entry id),
 * for whoever may see the device (R32).
 */
export function deviceTimelineHandler(): RegisteredHandler {
  return handler('devices.statusHistory', {
    access: {
      kind: 'scoped',
      keys: ['devices.view'],
      needs: (input) => [{ permission: 'devices.view', on: { type: 'device', id: input.id, field: 'id' } }],
    },
    run(ctx, input) {
      const limit = input.limit ?? 50;
      const rows = stmt<{ id: string; before: number; limit: number }, Row>(
        ctx.db,
        `SELECT id, at, status, last_backup_at, previous_status, previous_backup_at FROM device_status_history
         WHERE device_id = @id AND (@before = 0 OR id < @before) ORDER BY id DESC LIMIT @limit`,
      ).all({ id: input.id, before: input.beforeId ?? 0, limit: limit + 1 });
      const changes: StatusChange[] = rows.slice(0, limit).map((r) => ({
        id: r.id,
        at: r.at,
        status: r.status,
        lastBackupAt: r.last_backup_at,
        previousStatus: r.previous_status,
        previousBackupAt: r.previous_backup_at,
      }));
      return { changes, more: rows.length > limit };
    },
  });
}
