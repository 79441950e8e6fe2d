import { DEVICE_STATUSES, type DeviceStatus, type StatusCounts } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';

export const zeroCounts = (): StatusCounts => ({ ok: 0, warning: 0, failed: 0, offline: 0, never: 0 });

export function addCounts(into: StatusCounts, from: StatusCounts): void {
  for (const status of DEVICE_STATUSES) into[status] += from[status];
}

export const totalOf = (counts: StatusCounts): number => DEVICE_STATUSES.reduce((sum, s) => sum + counts[s], 0);

/**
 * Every device counted by status at every group above it: group id → status counts of its
 * whole subtree. One pass over devices grouped by their own group, then each group's counts
 * are added to its ancestors through the parent links (groups are few next to devices).
 */
export function subtreeStatusCounts(db: Db): Map<string, StatusCounts> {
  const parents = new Map(
    stmt<[], { id: string; parent_id: string | null }>(db, 'SELECT id, parent_id FROM groups')
      .all()
      .map((g) => [g.id, g.parent_id]),
  );
  const out = new Map<string, StatusCounts>();
  const own = stmt<[], { group_id: string; status: DeviceStatus; n: number }>(
    db,
    'SELECT group_id, status, count(*) AS n FROM devices GROUP BY group_id, status',
  ).all();
  for (const row of own) {
    // Walks to the root; a cycle cannot exist (groups.move refuses one), the guard only bounds a damaged tree.
    for (let id: string | null | undefined = row.group_id, steps = 0; id && steps < 10_000; id = parents.get(id), steps++) {
      let counts = out.get(id);
      if (!counts) out.set(id, (counts = zeroCounts()));
      counts[row.status] += row.n;
    }
  }
  return out;
}
