import type { Migration } from './index';

/**
 * Issue 17, query plans that hold from 1,000 to 1,000,000 devices (docs/scale.md):
 * - `devices_fts`: every device name, lowered as SQLite's `lower()` lowers it (ASCII
 *   letters only, as `LIKE` compares), in an FTS5 trigram index that stores no text of its
 *   own (contentless, with deletes). A phrase of three or more characters then finds exactly
 *   the names that contain it, case-insensitively for ASCII: "name contains" without reading
 *   every name. Its rowid is the device's rowid.
 * - `devices_fts_pending` (names not in the index yet) and `devices_fts_stale` (rowids whose
 *   entry in the index no longer holds: the device was removed or renamed): triggers on
 *   `devices` write these, in the writer's transaction whatever writes `devices` (a command,
 *   an import, a replica's pull, a test), and move them into the index 1,024 at a time. FTS5
 *   writes its pending terms out at the start of every statement that may need undoing, and
 *   every insert into `devices` is one (it fires triggers): written row by row, the index
 *   would take one tiny segment per device and merge them ever after, a cost that grows
 *   faster than the fleet. A search reads the index less the stale rowids, plus the pending
 *   names (at most about a thousand) tested one by one (main/features/devices/query.ts).
 * - The grid's sort orders, each an index whose key ends in the name and the id (a row's
 *   place is unique, so a window can continue from its last row: keyset paging) and that
 *   also holds the columns the grid filters on (status, kind, OS; the name order the group
 *   too), so a window walked in order reads no table row to test a filter:
 *   `devices_by_name`, `devices_by_kind`, `devices_by_os`, `devices_by_status`,
 *   `devices_by_backup` (never-backed-up devices, NULL, as the smallest value, so a row value
 *   compares), and `devices_by_status_backup` for the backup order within one status ("the
 *   failed devices, oldest backup first"). They replace migration 6's narrower ones.
 * - `groups_by_name`: the group-name order, walked to sort devices by their group.
 * Re-runnable: a database rewound below 33 builds the index again from `devices`.
 */
/** A device `row` leaves the index: not yet indexed, it leaves the pending names; indexed, its entry is marked stale. */
const unindex = (row: string) => `
  INSERT OR IGNORE INTO devices_fts_stale (rowid) SELECT ${row}.rowid WHERE NOT EXISTS (SELECT 1 FROM devices_fts_pending WHERE rowid = ${row}.rowid);
  DELETE FROM devices_fts_pending WHERE rowid = ${row}.rowid;`;

/** Names waiting, and stale entries, at which they are moved into the index at once. */
export const DEVICE_SEARCH_BATCH = 1024;

const flushAfter = (table: string) => `CREATE TRIGGER ${table}_flush AFTER INSERT ON ${table}
WHEN (SELECT count(*) FROM devices_fts_pending) + (SELECT count(*) FROM devices_fts_stale) >= ${DEVICE_SEARCH_BATCH} BEGIN
  DELETE FROM devices_fts WHERE rowid IN (SELECT rowid FROM devices_fts_stale);
  INSERT INTO devices_fts (rowid, name) SELECT rowid, name FROM devices_fts_pending;
  DELETE FROM devices_fts_stale;
  DELETE FROM devices_fts_pending;
END;`;

export const deviceSearch: Migration = {
  version: 33,
  name: 'device-search',
  sql: `
DROP INDEX IF EXISTS devices_name;
DROP INDEX IF EXISTS devices_kind;
DROP INDEX IF EXISTS devices_os;
DROP INDEX IF EXISTS devices_status;
DROP INDEX IF EXISTS devices_last_backup;
CREATE INDEX IF NOT EXISTS devices_by_name ON devices (name COLLATE NOCASE, id, group_id, status, kind, os);
CREATE INDEX IF NOT EXISTS devices_by_kind ON devices (kind, name COLLATE NOCASE, id, status, os);
CREATE INDEX IF NOT EXISTS devices_by_os ON devices (os, name COLLATE NOCASE, id, status, kind);
CREATE INDEX IF NOT EXISTS devices_by_status ON devices (status, name COLLATE NOCASE, id, kind, os);
CREATE INDEX IF NOT EXISTS devices_by_backup ON devices (ifnull(last_backup_at, -9223372036854775808), name COLLATE NOCASE, id, status, kind, os);
CREATE INDEX IF NOT EXISTS devices_by_status_backup ON devices (status, ifnull(last_backup_at, -9223372036854775808), name COLLATE NOCASE, id, kind, os);
CREATE INDEX IF NOT EXISTS groups_by_name ON groups (name COLLATE NOCASE, id);

CREATE VIRTUAL TABLE IF NOT EXISTS devices_fts USING fts5(name, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1);
CREATE TABLE IF NOT EXISTS devices_fts_pending (rowid INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices_fts_stale (rowid INTEGER PRIMARY KEY);
DELETE FROM devices_fts_pending;
DELETE FROM devices_fts_stale;
INSERT INTO devices_fts (devices_fts) VALUES ('delete-all');
INSERT INTO devices_fts (rowid, name) SELECT rowid, lower(name) FROM devices;
DROP TRIGGER IF EXISTS devices_fts_insert;
DROP TRIGGER IF EXISTS devices_fts_delete;
DROP TRIGGER IF EXISTS devices_fts_rename;
DROP TRIGGER IF EXISTS devices_fts_pending_flush;
DROP TRIGGER IF EXISTS devices_fts_stale_flush;
CREATE TRIGGER devices_fts_insert AFTER INSERT ON devices BEGIN
  INSERT OR REPLACE INTO devices_fts_pending (rowid, name) VALUES (NEW.rowid, lower(NEW.name));
END;
CREATE TRIGGER devices_fts_delete AFTER DELETE ON devices BEGIN${unindex('OLD')}
END;
CREATE TRIGGER devices_fts_rename AFTER UPDATE OF name ON devices WHEN lower(OLD.name) IS NOT lower(NEW.name) BEGIN${unindex('OLD')}
  INSERT OR REPLACE INTO devices_fts_pending (rowid, name) VALUES (NEW.rowid, lower(NEW.name));
END;
-- Once a thousand names or stale entries wait, they go into the index together (one segment), and the stale entries leave it.
${flushAfter('devices_fts_pending')}
${flushAfter('devices_fts_stale')}
`,
};
