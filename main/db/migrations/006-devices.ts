import type { Migration } from './index';

/**
 * Issue 6: the device grid at 100,000 rows filters and sorts in SQLite, so each sortable
 * column has an index that also carries the name tie-break; names are unique within their
 * owning group (case-insensitive), which is what lets an import report duplicates.
 * Bulk jobs keep their state and a per-device result row, so a job survives a crash (it
 * resumes from its cursor) and can be undone pair by pair.
 */
export const devices: Migration = {
  version: 6,
  name: 'devices',
  sql: `
DROP INDEX devices_group;
CREATE UNIQUE INDEX devices_group_name ON devices (group_id, name COLLATE NOCASE);
CREATE INDEX devices_name ON devices (name COLLATE NOCASE, id);
CREATE INDEX devices_kind ON devices (kind, name COLLATE NOCASE, id);
CREATE INDEX devices_os ON devices (os, name COLLATE NOCASE, id);
CREATE INDEX devices_status ON devices (status, name COLLATE NOCASE, id);
CREATE INDEX devices_last_backup ON devices (last_backup_at, name COLLATE NOCASE, id);

CREATE TABLE device_jobs (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('assign','unassign')),
  state TEXT NOT NULL CHECK (state IN ('queued','running','cancelling','cancelled','done','rolling_back','rolled_back','failed')),
  -- Kept by name when the starter is removed: the job's history outlives them.
  actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  actor_name TEXT NOT NULL,
  actor_home_group_id TEXT NOT NULL,
  -- {"filter": {...}} or {"deviceIds": [...]}; the words for it, for lists.
  selection TEXT NOT NULL,
  selection_text TEXT NOT NULL,
  -- [{"userId", "username"}]
  members TEXT NOT NULL,
  -- A filter job covers the devices that existed when it started (rowid <= max_rowid).
  max_rowid INTEGER NOT NULL,
  -- Devices are processed in id order (neighbouring pairs land in neighbouring index pages);
  -- the cursor is the last device id processed.
  cursor TEXT NOT NULL DEFAULT '',
  total INTEGER NOT NULL,
  processed INTEGER NOT NULL DEFAULT 0,
  planned TEXT NOT NULL,
  counts TEXT NOT NULL,
  -- Undo walks the changed items in seq order; who asked (NULL: rolled back by Steward itself).
  undo_cursor INTEGER NOT NULL DEFAULT 0,
  undo_actor_id TEXT,
  undo_restored INTEGER NOT NULL DEFAULT 0,
  undo_skipped INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  undone_at INTEGER
) STRICT;
CREATE INDEX device_jobs_created ON device_jobs (created_at);
CREATE INDEX device_jobs_state ON device_jobs (state);

-- One row per device a job processed, written in the same transaction as the device's
-- assignments: a device is fully applied with its record, or not at all.
CREATE TABLE device_job_items (
  job_id TEXT NOT NULL REFERENCES device_jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  -- No foreign key: a job's results outlive a device removed later.
  device_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('changed','unchanged','refused')),
  -- Member ids whose pair with this device the job changed: exactly what undo reverses.
  changed TEXT,
  unchanged INTEGER NOT NULL DEFAULT 0,
  -- [{"userId", "reason"}]
  refused TEXT,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0,1)),
  PRIMARY KEY (job_id, seq)
) STRICT, WITHOUT ROWID;
`,
};
