import type { BulkAction, BulkCounts, BulkSelection, DeviceFilter, RefusalReason } from '../../../../shared/contract';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { classifyDevice, loadAssignments, loadPlaces, REFUSAL_MESSAGES, type DevicePairs, type Member, type Subject } from '../classify';
import { deviceWhere } from '../query';
import { starterLoss, type Loss } from './authority';
import type { Binding } from '../../../../shared/access/decide';

/** A selected device as a page hands it out; groupId null when a picked id names no device. */
export interface DeviceRef {
  id: string;
  groupId: string | null;
}

export interface Page {
  devices: DeviceRef[];
  /** The cursor to continue from: the last device id handed out. */
  next: string;
  done: boolean;
}

/** Picked devices (and exceptions) once: duplicates dropped and in id order, the order every page is read in. */
export function normalizeSelection(selection: BulkSelection): BulkSelection {
  if ('deviceIds' in selection) return { deviceIds: [...new Set(selection.deviceIds)].sort() };
  const exceptIds = [...new Set(selection.exceptIds ?? [])].sort();
  return exceptIds.length > 0 ? { filter: selection.filter, exceptIds } : { filter: selection.filter };
}

/**
 * One page of a job's selection, in device id order, so a job can stop anywhere and carry
 * on after the last id it finished, and so that consecutive pairs land in neighbouring
 * index pages (a chunk then rewrites few pages when it commits). A filter covers devices
 * up to `maxRowid` (those that existed when the job was planned) and is re-evaluated page
 * by page, visibility included. Picked ids must come from `normalizeSelection`.
 */
export function selectionPage(
  db: Db,
  actor: { userId: string; asOfStart?: readonly Binding[] },
  selection: BulkSelection,
  maxRowid: number,
  after: string,
  limit: number,
): Page {
  if ('deviceIds' in selection) {
    const all = selection.deviceIds;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((all[mid] ?? '') <= after) lo = mid + 1;
      else hi = mid;
    }
    const ids = all.slice(lo, lo + limit);
    const found = new Map(
      stmt<[string], { id: string; group_id: string }>(db, 'SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids))
        .map((d) => [d.id, d.group_id]),
    );
    return {
      devices: ids.map((id) => ({ id, groupId: found.get(id) ?? null })),
      next: ids[ids.length - 1] ?? after,
      done: lo + ids.length >= all.length,
    };
  }
  const q = deviceWhere(db, actor.userId, selection.filter, { idOrder: true, ...(actor.asOfStart ? { asOfStart: actor.asOfStart } : {}) });
  // The rows unticked after "all matching" stay out, on every page and after a restart (they are in the stored selection).
  const except = selection.exceptIds?.length ? 'd.id NOT IN (SELECT value FROM json_each(@exceptIds)) AND' : '';
  const rows = stmt<Record<string, string | number>, { id: string; group_id: string }>(
    db,
    `SELECT d.id, d.group_id ${q.from} WHERE d.id > @after AND d.rowid <= @maxRowid AND ${except} ${q.where} ORDER BY d.id LIMIT @limit`,
  ).all({ ...q.params, ...(except ? { exceptIds: JSON.stringify(selection.exceptIds) } : {}), after, maxRowid, limit });
  return {
    devices: rows.map((r) => ({ id: r.id, groupId: r.group_id })),
    next: rows[rows.length - 1]?.id ?? after,
    done: rows.length < limit,
  };
}

/**
 * One page of a selection for planning it (the dry run, and a job's own planning steps),
 * where order does not matter and every device must be read once: picked ids from `after`
 * (a count of ids already planned), or a filter's matches among the devices with rowids
 * after `after`, read in table order, at most `limit` of them and at most SPAN_PER_DEVICE
 * rows a device. Table order reads each stored row once, next to the last, whatever the
 * filter: planning costs the fleet's rows, never a lookup per device in id order.
 */
export function planPage(
  db: Db,
  actor: { userId: string; asOfStart?: readonly Binding[] },
  selection: BulkSelection,
  maxRowid: number,
  after: number,
  limit: number,
): { devices: DeviceRef[]; next: number; done: boolean } {
  if ('deviceIds' in selection) {
    const ids = selection.deviceIds.slice(after, after + limit);
    const found = new Map(
      stmt<[string], { id: string; group_id: string }>(db, 'SELECT id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids))
        .map((d) => [d.id, d.group_id]),
    );
    const next = after + ids.length;
    return { devices: ids.map((id) => ({ id, groupId: found.get(id) ?? null })), next, done: next >= selection.deviceIds.length };
  }
  const until = Math.min(maxRowid, after + limit * SPAN_PER_DEVICE);
  const q = deviceWhere(db, actor.userId, selection.filter, { rowOrder: true, ...(actor.asOfStart ? { asOfStart: actor.asOfStart } : {}) });
  const except = selection.exceptIds?.length ? 'd.id NOT IN (SELECT value FROM json_each(@exceptIds)) AND' : '';
  const rows = stmt<Record<string, string | number>, { id: string; group_id: string; r: number }>(
    db,
    `SELECT d.id, d.group_id, d.rowid AS r ${q.from} WHERE d.rowid > @after AND d.rowid <= @until AND ${except} ${q.where}
     ORDER BY d.rowid LIMIT @limit`,
  ).all({ ...q.params, ...(except ? { exceptIds: JSON.stringify(selection.exceptIds) } : {}), after, until, limit });
  const next = rows.length === limit ? (rows[rows.length - 1]?.r ?? until) : until;
  return { devices: rows.map((r) => ({ id: r.id, groupId: r.group_id })), next, done: next >= maxRowid };
}

/** Rows of the table a planning step may read for each device it plans: a sparse filter reads a bounded range, not the rest of the fleet. */
const SPAN_PER_DEVICE = 16;

/**
 * One page of what a job's own planning selected (device_job_selection), in device id
 * order after `after`, with the filter tested again (as the starter could see at the start):
 * a device that no longer matches is left out, as a page read from the filter would.
 */
export function plannedPage(
  db: Db,
  jobId: string,
  actor: { userId: string; asOfStart?: readonly Binding[] },
  filter: DeviceFilter,
  after: string,
  limit: number,
): Page {
  const q = deviceWhere(db, actor.userId, filter, actor.asOfStart ? { asOfStart: actor.asOfStart } : {});
  const from = q.from.replace('FROM devices d', 'FROM device_job_selection s CROSS JOIN devices d ON d.id = s.device_id');
  const rows = stmt<Record<string, string | number>, { id: string; group_id: string }>(
    db,
    `SELECT d.id, d.group_id ${from} WHERE s.job_id = @job AND s.device_id > @after AND ${q.where} ORDER BY s.device_id LIMIT @limit`,
  ).all({ ...q.params, job: jobId, after, limit });
  return {
    devices: rows.map((r) => ({ id: r.id, groupId: r.group_id })),
    next: rows[rows.length - 1]?.id ?? after,
    done: rows.length < limit,
  };
}

export function maxDeviceRowid(db: Db): number {
  return stmt<[], { m: number | null }>(db, 'SELECT max(rowid) AS m FROM devices').get()?.m ?? 0;
}

/**
 * Classifies a page's pairs, reading paths and assignments once for the whole page. With
 * `start` (the rights and member visibility the job's starter had when it started), each
 * device also says which right, if any, the starter has lost on it since.
 */
export function classifyPage(
  db: Db,
  action: BulkAction,
  actor: Subject,
  members: readonly Member[],
  devices: readonly DeviceRef[],
  start?: { actor: Subject; members: readonly Member[] },
): Array<{ device: DeviceRef; pairs: DevicePairs; loss: Loss | null }> {
  const places = loadPlaces(
    db,
    devices.flatMap((d) => (d.groupId ? [d.groupId] : [])),
  );
  const assigned = loadAssignments(
    db,
    devices.map((d) => d.id),
    [...members.map((m) => m.userId), actor.userId],
  );
  return devices.map((device) => {
    const place = device.groupId ? places.get(device.groupId) : undefined;
    const pairs = classifyDevice(action, actor, device.id, place, members, assigned);
    if (!start) return { device, pairs, loss: null };
    const before = classifyDevice(action, start.actor, device.id, place, start.members, assigned);
    return { device, pairs, loss: starterLoss(start.actor, actor, before, pairs, device.id, place, assigned) };
  });
}

/** Counts as stored: refusals keyed by reason, and by reason and member (jobs recorded before that have no `refusedBy`). */
export interface Tally {
  willChange: number;
  unchanged: number;
  devicesChanged: number;
  refused: Partial<Record<RefusalReason, number>>;
  /** Pairs refused per reason and member id: whom a refusal is about (issue 15, finding 9). */
  refusedBy?: Partial<Record<RefusalReason, Record<string, number>>>;
}

export const emptyTally = (): Tally => ({ willChange: 0, unchanged: 0, devicesChanged: 0, refused: {}, refusedBy: {} });

export function addPairs(tally: Tally, pairs: DevicePairs): void {
  tally.willChange += pairs.change.length;
  tally.unchanged += pairs.unchanged;
  if (pairs.change.length > 0) tally.devicesChanged++;
  const by = (tally.refusedBy ??= {});
  for (const r of pairs.refused) {
    tally.refused[r.reason] = (tally.refused[r.reason] ?? 0) + 1;
    const members = (by[r.reason] ??= {});
    members[r.userId] = (members[r.userId] ?? 0) + 1;
  }
}

/**
 * The stored counts in the contract's shape; `members` names whom each refusal is about, as
 * the reader may see them (the job's member list, already masked), in that list's order.
 */
export function toCounts(tally: Tally, members: ReadonlyArray<{ userId: string; username: string }>): BulkCounts {
  return {
    willChange: tally.willChange,
    unchanged: tally.unchanged,
    devicesChanged: tally.devicesChanged,
    refused: (Object.entries(tally.refused) as Array<[RefusalReason, number]>)
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => {
        const by = tally.refusedBy?.[reason] ?? {};
        return {
          reason,
          message: REFUSAL_MESSAGES[reason],
          count,
          members: members.filter((m) => (by[m.userId] ?? 0) > 0).map((m) => ({ ...m, count: by[m.userId] ?? 0 })),
        };
      }),
  };
}
