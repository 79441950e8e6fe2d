import type { DashboardHistory, DeviceStatus, HistoryPoint, HistoryRange, StatusCounts } from '../../../shared/contract';
import { statusNow } from './figures';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { bindingsOf } from '../access/access';
import { findGroup, groupPath } from '../access/tree';
import { deviceWhere } from '../devices/query';
import { zeroCounts } from '../history/counts';
import { dayOf } from '../history/snapshot';

/**
 * Whether the caller sees every device in the group's subtree: a role granting devices.view
 * over its whole scope (not only assigned devices) bound at the group or above it. Then the
 * daily snapshots, which count every device, are exactly what they may see.
 */
function seesWholeSubtree(db: Db, actorId: string, groupId: string): boolean {
  const path = groupPath(db, groupId)?.ids ?? [];
  return bindingsOf(db, actorId).some(
    (b) => b.role.permissions.has('devices.view') && b.role.deviceVisibility === 'scope' && path.includes(b.groupId),
  );
}

/** Snapshot-based points: the stored subtree totals of each day (a day without a row had no devices there). */
function fromSnapshots(db: Db, groupId: string, days: Array<{ day: number; taken_at: number }>): HistoryPoint[] {
  if (days.length === 0) return [];
  const rows = new Map(
    stmt<[string, number, number], StatusCounts & { day: number }>(
      db,
      'SELECT day, ok, warning, failed, offline, never FROM group_status_daily WHERE group_id = ? AND day BETWEEN ? AND ?',
    )
      .all(groupId, days[0]?.day ?? 0, days[days.length - 1]?.day ?? 0)
      .map((r) => [r.day, r]),
  );
  return days.map((d) => {
    const r = rows.get(d.day);
    return {
      day: d.day,
      at: d.taken_at,
      counts: r ? { ok: r.ok, warning: r.warning, failed: r.failed, offline: r.offline, never: r.never } : zeroCounts(),
    };
  });
}

/**
 * Points counted from the status history of the devices the caller sees in the subtree, at the
 * moments the snapshots were taken: each device counts with its latest status recorded at or
 * before that moment, and not at all before its first entry.
 */
function fromDeviceHistory(db: Db, actorId: string, groupId: string, days: Array<{ day: number; taken_at: number }>): HistoryPoint[] {
  const points = days.map((d) => ({ day: d.day, at: d.taken_at, counts: zeroCounts() }));
  const last = days[days.length - 1];
  if (!last) return points;
  const q = deviceWhere(db, actorId, { groupId });
  const rows = stmt<Record<string, string | number>, { device_id: string; at: number; status: DeviceStatus }>(
    db,
    `SELECT h.device_id, h.at, h.status FROM device_status_history h
     WHERE h.device_id IN (SELECT d.id ${q.from} WHERE ${q.where}) AND h.at <= @last ORDER BY h.device_id, h.at, h.id`,
  ).all({ ...q.params, last: last.taken_at });
  for (let start = 0; start < rows.length;) {
    let end = start;
    while (end < rows.length && rows[end]?.device_id === rows[start]?.device_id) end++;
    // Both lists are in time order: one walk places the device's status at every moment.
    let at = start - 1;
    for (const point of points) {
      while (at + 1 < end && (rows[at + 1]?.at ?? Infinity) <= point.at) at++;
      const row = at >= start ? rows[at] : undefined;
      if (row) point.counts[row.status] += 1;
    }
    start = end;
  }
  return points;
}

/**
 * Status counts per day over the last `days` days for the group's subtree, as the caller may
 * see it (R33): the days with a snapshot before today, then today as it is now. The access
 * rule (dashboard.view and charts.view on the group) has decided the module by the group's kind.
 */
export function groupHistory(db: Db, actorId: string, groupId: string, days: HistoryRange, now: number): DashboardHistory {
  const today = dayOf(now);
  const taken = stmt<[number, number], { day: number; taken_at: number }>(
    db,
    'SELECT day, taken_at FROM status_snapshots WHERE day >= ? AND day < ? ORDER BY day',
  ).all(today - days + 1, today);
  const whole = seesWholeSubtree(db, actorId, groupId);
  const past = whole ? fromSnapshots(db, groupId, taken) : fromDeviceHistory(db, actorId, groupId, taken);
  return {
    groupId,
    groupName: findGroup(db, groupId)?.name ?? '',
    days,
    source: whole ? 'snapshots' : 'device-history',
    points: [...past, { day: today, at: now, counts: statusNow(db, actorId, groupId) }],
  };
}
