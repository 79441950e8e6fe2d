import { DAY_MS } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { readSetting } from '../settings/settings';
import { dayOf } from './snapshot';

/**
 * A history row older than the cut that a later row, also older than the cut, replaces: what
 * retention removes. Each device keeps its last row before the cut, which is its state at the
 * cut, so a timeline and a chart still know where a device stood when the kept history starts.
 */
const SUPERSEDED = `h.at < @cutoff AND EXISTS (SELECT 1 FROM device_status_history n
  WHERE n.device_id = h.device_id AND n.at < @cutoff AND (n.at > h.at OR (n.at = h.at AND n.id > h.id)))`;

/** The moment before which history goes, by the setting; null when it is kept forever. */
export function historyCutoff(db: Db, now: number): number | null {
  const days = readSetting(db, 'history.retentionDays');
  return days === null ? null : now - days * DAY_MS;
}

/**
 * Removes status changes and daily snapshots older than `history.retentionDays` (R32), keeping
 * each device's state at the cut. Returns what it removed.
 */
export function pruneHistory(db: Db, now: number): { changesRemoved: number; snapshotsRemoved: number } {
  const cutoff = historyCutoff(db, now);
  if (cutoff === null) return { changesRemoved: 0, snapshotsRemoved: 0 };
  const changesRemoved = stmt<{ cutoff: number }>(db, `DELETE FROM device_status_history AS h WHERE ${SUPERSEDED}`).run({ cutoff }).changes;
  // A snapshot's group rows go with it (foreign key, ON DELETE CASCADE).
  const snapshotsRemoved = stmt(db, 'DELETE FROM status_snapshots WHERE day < ?').run(dayOf(cutoff)).changes;
  return { changesRemoved, snapshotsRemoved };
}

/** Whether retention would remove anything now: the schedule dispatches history.prune only then, so idle history writes no events. */
export function historyPruneDue(db: Db, now: number): boolean {
  const cutoff = historyCutoff(db, now);
  if (cutoff === null) return false;
  if (stmt(db, 'SELECT 1 FROM status_snapshots WHERE day < ? LIMIT 1').get(dayOf(cutoff))) return true;
  return !!stmt<{ cutoff: number }>(db, `SELECT 1 FROM device_status_history AS h WHERE ${SUPERSEDED} LIMIT 1`).get({ cutoff });
}

/** history.prune: status history retention, a system command run as "System (status history)". */
export function historyPruneHandler(): RegisteredHandler {
  return handler('history.prune', {
    access: { kind: 'system' },
    run(ctx) {
      const retentionDays = readSetting(ctx.db, 'history.retentionDays');
      const removed = pruneHistory(ctx.db, ctx.clock.now());
      ctx.audit({ target: { type: 'history', id: 'retention', name: 'Status history retention' }, after: { ...removed, retentionDays } });
      return { ...removed, retentionDays };
    },
  });
}
