import type { Migration } from './index';

/**
 * Issue 18: what devices' backups looked like over time.
 * - `device_status_history`: one row per change of a device's status or last backup time,
 *   written by triggers on `devices`, so every writer is kept alike: an import, a later edit,
 *   rows a replica applies from its hub, the demo and test builders. `at` is the device's
 *   `updated_at` as written with the change (the command's clock, or the hub's for a pulled
 *   row), never the wall clock, so a replayed command writes the same history. The devices
 *   present when this migration runs get their current state as their first row.
 * - `status_snapshots` and `group_status_daily`: the daily snapshot (`history.snapshot`, a
 *   system command): per UTC day, when it was taken, and per group the status counts of
 *   every device in its subtree at that moment. Subtree totals are stored so that a chart
 *   of any group reads at most one row per day. No foreign key to groups: a removed group's
 *   past stays until retention removes it.
 * Both are local to each installation (not replicated): a replica keeps the history of what
 * it holds, from its own triggers. Re-runnable (IF NOT EXISTS).
 */
export const statusHistory: Migration = {
  version: 28,
  name: 'status-history',
  sql: `
CREATE TABLE IF NOT EXISTS device_status_history (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  last_backup_at INTEGER,
  -- NULL on a device's first row (it was added, or it predates the history).
  previous_status TEXT,
  previous_backup_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS device_status_history_device ON device_status_history (device_id, at, id);
CREATE INDEX IF NOT EXISTS device_status_history_at ON device_status_history (at);

DROP TRIGGER IF EXISTS device_status_history_insert;
CREATE TRIGGER device_status_history_insert AFTER INSERT ON devices
BEGIN
  INSERT INTO device_status_history (device_id, at, status, last_backup_at) VALUES (NEW.id, NEW.updated_at, NEW.status, NEW.last_backup_at);
END;
DROP TRIGGER IF EXISTS device_status_history_update;
CREATE TRIGGER device_status_history_update AFTER UPDATE OF status, last_backup_at ON devices
WHEN NEW.status IS NOT OLD.status OR NEW.last_backup_at IS NOT OLD.last_backup_at
BEGIN
  INSERT INTO device_status_history (device_id, at, status, last_backup_at, previous_status, previous_backup_at)
  VALUES (NEW.id, NEW.updated_at, NEW.status, NEW.last_backup_at, OLD.status, OLD.last_backup_at);
END;

INSERT INTO device_status_history (device_id, at, status, last_backup_at)
SELECT d.id, d.updated_at, d.status, d.last_backup_at FROM devices d
WHERE NOT EXISTS (SELECT 1 FROM device_status_history h WHERE h.device_id = d.id);

CREATE TABLE IF NOT EXISTS status_snapshots (
  day INTEGER PRIMARY KEY,
  taken_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS group_status_daily (
  group_id TEXT NOT NULL,
  day INTEGER NOT NULL REFERENCES status_snapshots(day) ON DELETE CASCADE,
  ok INTEGER NOT NULL,
  warning INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  offline INTEGER NOT NULL,
  never INTEGER NOT NULL,
  PRIMARY KEY (group_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_status_daily_day ON group_status_daily (day);
`,
};
