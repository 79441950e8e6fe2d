import { DAY_MS, freshnessFilter } from '../shared/contract';
import { NEVER_HOUR } from '../main/db/migrations/036-dashboard-aggregates';
import { dashboardAsOf } from '../main/features/dashboard/figures';
import { takeSnapshot } from '../main/features/history/snapshot';
import { demoInstall } from './devices.bench';
import { measureInterleaved, report } from './measure';

const DEVICES = 100_000;
const HOUR_MS = 3_600_000;

/**
 * Issue 18: the dashboard at 100,000 devices, as the Owner through the dispatcher, against
 * the raw SQL over the aggregates it reads (migrations 34 and 36), with no access rule: the
 * root's tally and its backup hours from 7 days back, each customer's failed, over-7-days and
 * never figures, the root's unassigned count; and, for the figures that are not aggregates,
 * the same rows by hand: active people and MFA, pending and expired invitations, dormant
 * people, seats (members from their tally, migration 37, and invitations by group), the newest
 * audit events. It finds the customers and companies itself and reads the names the screen
 * shows, as the dashboard must; before, it was handed the customers' ids and read no name.
 */
export async function dashboardBench(): Promise<string[]> {
  const fleet = demoInstall(DEVICES);
  try {
    const db = fleet.steward.db;
    const now = Date.now();
    const asOf = dashboardAsOf(now);
    const hour = (bucket: 'day' | 'days3' | 'week') => (freshnessFilter(bucket, asOf).backedUpFrom ?? 0) / HOUR_MS;
    const edgeDay = Math.floor(hour('week') / 24);
    // The customers and companies are found by the raw SQL itself, as the dashboard must find them, and the names shown
    // (customers, companies with their limits, the events' groups) are read with them.
    const customers = "SELECT id FROM groups WHERE kind = 'customer'";
    const within = `group_id IN (${customers})`;
    const raw = [
      [db.prepare("SELECT status, sum(n) FROM device_tally WHERE group_id = 'root' GROUP BY status"), []],
      [
        db.prepare(
          `SELECT sum(n) FILTER (WHERE hour >= ?), sum(n) FILTER (WHERE hour < ?) FROM device_backup_hour WHERE group_id = 'root' AND hour >= ?`,
        ),
        [hour('day'), hour('days3'), hour('week')],
      ],
      [db.prepare(`SELECT n FROM device_backup_hour WHERE group_id = 'root' AND hour = ${NEVER_HOUR}`), []],
      [db.prepare("SELECT id, name FROM groups WHERE kind = 'customer'"), []],
      [db.prepare(`SELECT group_id, sum(n) FROM device_tally WHERE ${within} AND status = 'failed' GROUP BY 1`), []],
      [db.prepare(`SELECT group_id, sum(n) FROM device_backup_day WHERE ${within} AND day < ? GROUP BY 1`), [edgeDay]],
      [
        db.prepare(`SELECT group_id, sum(n) FROM device_backup_hour WHERE ${within} AND hour >= ? AND hour < ? GROUP BY 1`),
        [edgeDay * 24, hour('week')],
      ],
      [db.prepare("SELECT n FROM device_unassigned WHERE group_id = 'root'"), []],
      [db.prepare("SELECT count(*), sum(totp_secret IS NOT NULL), sum(totp_secret IS NULL) FROM users WHERE status = 'active'"), []],
      [db.prepare("SELECT count(*) FROM users WHERE status = 'active' AND coalesce(last_sign_in_at, created_at) < ?"), [now - 90 * DAY_MS]],
      [db.prepare("SELECT sum(expires_at > ?), sum(expires_at <= ?) FROM invitations WHERE status = 'pending'"), [now, now]],
      [
        db.prepare(
          "SELECT g.id, g.name, g.seat_limit, t.n FROM groups g LEFT JOIN group_member_tally t ON t.group_id = g.id WHERE g.kind NOT IN ('location', 'department')",
        ),
        [],
      ],
      [db.prepare("SELECT group_id, count(*) FROM invitations WHERE status = 'pending' AND expires_at > ? GROUP BY 1"), [now]],
      [
        db.prepare(
          'SELECT e.*, g.name FROM (SELECT * FROM audit_events ORDER BY seq DESC LIMIT 8) e LEFT JOIN groups g ON g.id = e.group_id',
        ),
        [],
      ],
    ] as const;
    const [floor, summary] = await measureInterleaved(
      {
        label: 'raw SQL over the aggregates (root, every customer) and the same people, invitation and audit rows, no access rule',
        fn: () => raw.map(([statement, params]) => statement.all(...params)),
      },
      { label: 'dashboard.summary as the Owner (fleet, access, seats, recent changes)', fn: () => fleet.call('dashboard.summary', {}) },
      5,
    );
    // 90 days of snapshots, as the schedule would have taken them.
    for (let day = 89; day >= 1; day--) db.transaction(() => takeSnapshot(db, now - day * DAY_MS)).immediate();
    const rows = db.prepare('SELECT day, ok, warning, failed, offline, never FROM group_status_daily WHERE group_id = ? AND day >= ?');
    // The chart's last point is the present, from the root's tally.
    const present = db.prepare("SELECT status, sum(n) AS n FROM device_tally WHERE group_id = 'root' GROUP BY status");
    const [historyFloor, history] = await measureInterleaved(
      {
        label: "raw read of the root's 90 snapshot rows, and of the root's tally by status",
        fn: () => [rows.all('root', Math.floor(now / DAY_MS) - 90), present.all()],
      },
      {
        label: 'dashboard.history, 90 days of the root (snapshots, then the present from the tallies)',
        fn: () => fleet.call('dashboard.history', { groupId: 'root', days: 90 }),
      },
      5,
    );
    return [
      `${report(`Dashboard at ${DEVICES.toLocaleString('en')} devices, over the aggregates`, summary, floor, 2)}`,
      report('Dashboard history chart, 90 days', history, historyFloor),
    ];
  } finally {
    fleet.done();
  }
}
