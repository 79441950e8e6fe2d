import type { BulkAction, BulkCounts, BulkSelection, RefusalReason } from '../../../../shared/contract';
import type { Db } from '../../../db/connection';
import { stmt } from '../../../db/statements';
import { classifyDevice, loadAssignments, loadPlaces, REFUSAL_MESSAGES, type DevicePairs, type Member, type Subject } from '../classify';
import { deviceWhere } from '../query';

/** A selected device as a page hands it out; groupId null when a picked id names no device. */
export interface DeviceRef {
  rowid: number;
  id: string;
  groupId: string | null;
}

export interface Page {
  devices: DeviceRef[];
  /** The cursor to continue from: a device rowid for filters, an index into the picked ids otherwise. */
  next: number;
  done: boolean;
}

/**
 * One page of a job's selection in a stable order, so a job can stop anywhere and carry
 * on from its cursor. A filter covers devices up to `maxRowid` (those that existed when
 * the job was planned) and is re-evaluated page by page, visibility included.
 */
export function selectionPage(db: Db, actorId: string, selection: BulkSelection, maxRowid: number, cursor: number, limit: number): Page {
  if ('deviceIds' in selection) {
    const ids = selection.deviceIds.slice(cursor, cursor + limit);
    const found = new Map(
      stmt<[string], { rowid: number; id: string; group_id: string }>(
        db,
        'SELECT rowid, id, group_id FROM devices WHERE id IN (SELECT value FROM json_each(?))',
      )
        .all(JSON.stringify(ids))
        .map((d) => [d.id, d]),
    );
    const devices = ids.map((id) => {
      const d = found.get(id);
      return { rowid: d?.rowid ?? 0, id, groupId: d?.group_id ?? null };
    });
    const next = cursor + ids.length;
    return { devices, next, done: next >= selection.deviceIds.length };
  }
  const q = deviceWhere(db, actorId, selection.filter);
  const rows = stmt<Record<string, string | number>, { rowid: number; id: string; group_id: string }>(
    db,
    `SELECT d.rowid AS rowid, d.id, d.group_id ${q.from} WHERE d.rowid > @after AND d.rowid <= @maxRowid AND ${q.where}
     ORDER BY d.rowid LIMIT @limit`,
  ).all({ ...q.params, after: cursor, maxRowid, limit });
  const last = rows[rows.length - 1];
  return {
    devices: rows.map((r) => ({ rowid: r.rowid, id: r.id, groupId: r.group_id })),
    next: last ? last.rowid : cursor,
    done: rows.length < limit,
  };
}

export function maxDeviceRowid(db: Db): number {
  return stmt<[], { m: number | null }>(db, 'SELECT max(rowid) AS m FROM devices').get()?.m ?? 0;
}

/** Classifies a page's pairs, reading paths and assignments once for the whole page. */
export function classifyPage(
  db: Db,
  action: BulkAction,
  actor: Subject,
  members: readonly Member[],
  devices: readonly DeviceRef[],
): Array<{ device: DeviceRef; pairs: DevicePairs }> {
  const places = loadPlaces(
    db,
    devices.flatMap((d) => (d.groupId ? [d.groupId] : [])),
  );
  const assigned = loadAssignments(
    db,
    devices.map((d) => d.id),
    [...members.map((m) => m.userId), actor.userId],
  );
  return devices.map((device) => ({
    device,
    pairs: classifyDevice(action, actor, device.id, device.groupId ? places.get(device.groupId) : undefined, members, assigned),
  }));
}

/** Counts as stored: refusals keyed by reason. */
export interface Tally {
  willChange: number;
  unchanged: number;
  devicesChanged: number;
  refused: Partial<Record<RefusalReason, number>>;
}

export const emptyTally = (): Tally => ({ willChange: 0, unchanged: 0, devicesChanged: 0, refused: {} });

export function addPairs(tally: Tally, pairs: DevicePairs): void {
  tally.willChange += pairs.change.length;
  tally.unchanged += pairs.unchanged;
  if (pairs.change.length > 0) tally.devicesChanged++;
  for (const r of pairs.refused) tally.refused[r.reason] = (tally.refused[r.reason] ?? 0) + 1;
}

export function toCounts(tally: Tally): BulkCounts {
  return {
    willChange: tally.willChange,
    unchanged: tally.unchanged,
    devicesChanged: tally.devicesChanged,
    refused: (Object.entries(tally.refused) as Array<[RefusalReason, number]>)
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => ({ reason, message: REFUSAL_MESSAGES[reason], count })),
  };
}
