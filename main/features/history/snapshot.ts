import { DAY_MS } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { subtreeStatusCounts } from './counts';

/** The UTC day (days since 1970-01-01) a moment falls in. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * Records the status counts of every group's subtree as the snapshot of the command clock's
 * UTC day, replacing one taken earlier that day (R32). Returns the day and how many groups
 * hold devices. Groups without devices get no row and read as zero.
 */
export function takeSnapshot(db: Db, now: number): { day: number; groups: number } {
  const day = dayOf(now);
  stmt(db, 'INSERT INTO status_snapshots (day, taken_at) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at').run(
    day,
    now,
  );
  stmt(db, 'DELETE FROM group_status_daily WHERE day = ?').run(day);
  const insert = stmt(
    db,
    'INSERT INTO group_status_daily (group_id, day, ok, warning, failed, offline, never) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const counts = subtreeStatusCounts(db);
  for (const [groupId, c] of counts) insert.run(groupId, day, c.ok, c.warning, c.failed, c.offline, c.never);
  return { day, groups: counts.size };
}

/**
 * Whether today (by `now`) has no snapshot yet and there are devices to count: the schedule
 * takes one only then, so an installation without devices gains no daily events.
 */
export function snapshotDue(db: Db, now: number): boolean {
  return !stmt(db, 'SELECT 1 FROM status_snapshots WHERE day = ?').get(dayOf(now)) && !!stmt(db, 'SELECT 1 FROM devices LIMIT 1').get();
}

/** history.snapshot: the daily snapshot, a system command run by the history schedule as "System (status history)". */
export function historySnapshotHandler(): RegisteredHandler {
  return handler('history.snapshot', {
    access: { kind: 'system' },
    run(ctx) {
      const taken = takeSnapshot(ctx.db, ctx.clock.now());
      ctx.audit({ target: { type: 'history', id: String(taken.day), name: 'Daily status snapshot' }, after: { ...taken } });
      return taken;
    },
  });
}
