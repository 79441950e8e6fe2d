import { DAY_MS } from '../shared/contract';
import { takeSnapshot } from '../main/features/history/snapshot';
import { demoInstall } from './devices.bench';
import { measureInterleaved, report } from './measure';

const DEVICES = 100_000;

/**
 * Issue 18: the dashboard at 100,000 devices, as the Owner through the dispatcher.
 *
 * Not yet what the issue asks: its target compares the dashboard with raw SQL over the
 * per-group aggregates of issue 17, which have not landed. Until then the figures scan the
 * devices (main/features/dashboard/figures.ts, deviceTally), and the floor here is the same
 * scan as raw SQL without any access rule: one grouped pass by group, status and freshness.
 */
export async function dashboardBench(): Promise<string[]> {
  const fleet = demoInstall(DEVICES);
  try {
    const db = fleet.steward.db;
    const now = Date.now();
    const scan = db.prepare(
      `SELECT d.group_id, d.status, CASE WHEN d.last_backup_at IS NULL THEN 'never' WHEN d.last_backup_at >= ? THEN 'day'
         WHEN d.last_backup_at >= ? THEN 'days3' WHEN d.last_backup_at >= ? THEN 'week' ELSE 'older' END AS bucket, count(*) AS n
       FROM devices d GROUP BY 1, 2, 3`,
    );
    const [floor, summary] = await measureInterleaved(
      {
        label: 'raw grouped scan of devices (status × freshness × group), no access rule',
        fn: () => scan.all(now - DAY_MS, now - 3 * DAY_MS, now - 7 * DAY_MS),
      },
      { label: 'dashboard.summary as the Owner (fleet, access, seats, recent changes)', fn: () => fleet.call('dashboard.summary', {}) },
      5,
    );
    // 90 days of snapshots, as the schedule would have taken them.
    for (let day = 89; day >= 1; day--) db.transaction(() => takeSnapshot(db, now - day * DAY_MS)).immediate();
    const rows = db.prepare('SELECT day, ok, warning, failed, offline, never FROM group_status_daily WHERE group_id = ? AND day >= ?');
    // The chart's last point is the present, counted live from the devices (a scan until the aggregates land).
    const present = db.prepare('SELECT status, count(*) AS n FROM devices GROUP BY status');
    const [historyFloor, history] = await measureInterleaved(
      {
        label: "raw read of the root's 90 snapshot rows, and a raw count of every device by status",
        fn: () => [rows.all('root', Math.floor(now / DAY_MS) - 90), present.all()],
      },
      {
        label: 'dashboard.history, 90 days of the root (snapshots, then the present counted live)',
        fn: () => fleet.call('dashboard.history', { groupId: 'root', days: 90 }),
      },
      5,
    );
    return [
      `${report(`Dashboard at ${DEVICES.toLocaleString('en')} devices (NOT over aggregates yet: the floor is a raw device scan)`, summary, floor, 2)}`,
      report('Dashboard history chart, 90 days (its present point scans the devices)', history, historyFloor),
    ];
  } finally {
    fleet.done();
  }
}
