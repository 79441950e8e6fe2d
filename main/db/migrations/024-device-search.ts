import type { Migration } from './index';

/**
 * Issue 17, query plans that hold from 1,000 to 1,000,000 devices (docs/scale.md):
 * - `devices_fts`: every device name, lowered as SQLite's `lower()` lowers it (ASCII
 *   letters only, as `LIKE` compares), in an FTS5 trigram index that stores no text of its
 *   own (contentless, with deletes). A phrase of three or more characters then finds exactly
 *   the names that contain it, case-insensitively for ASCII: "name contains" without reading
 *   every name. Its rowid is the device's rowid. Triggers keep it in the writer's
 *   transaction, whatever writes `devices` (a command, an import, a replica's pull, a test).
 * - The grid's sort orders, each an index whose key ends in the name and the id (a row's
 *   place is unique, so a window can continue from its last row: keyset paging) and that
 *   also holds the columns the grid filters on (status, kind, OS; the name order the group
 *   too), so a window walked in order reads no table row to test a filter:
 *   `devices_by_name`, `devices_by_kind`, `devices_by_os`, `devices_by_status`,
 *   `devices_by_backup` (never-backed-up devices, NULL, as the smallest value, so a row value
 *   compares), and `devices_by_status_backup` for the backup order within one status ("the
 *   failed devices, oldest backup first"). They replace migration 6's narrower ones.
 * - `groups_by_name`: the group-name order, walked to sort devices by their group.
 * Re-runnable: a database rewound below 24 builds the index again from `devices`.
 */
export const deviceSearch: Migration = {
  version: 24,
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
INSERT INTO devices_fts (devices_fts) VALUES ('delete-all');
INSERT INTO devices_fts (rowid, name) SELECT rowid, lower(name) FROM devices;
DROP TRIGGER IF EXISTS devices_fts_insert;
DROP TRIGGER IF EXISTS devices_fts_delete;
DROP TRIGGER IF EXISTS devices_fts_rename;
CREATE TRIGGER devices_fts_insert AFTER INSERT ON devices BEGIN
  INSERT INTO devices_fts (rowid, name) VALUES (NEW.rowid, lower(NEW.name));
END;
CREATE TRIGGER devices_fts_delete AFTER DELETE ON devices BEGIN
  DELETE FROM devices_fts WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER devices_fts_rename AFTER UPDATE OF name ON devices WHEN lower(OLD.name) IS NOT lower(NEW.name) BEGIN
  DELETE FROM devices_fts WHERE rowid = OLD.rowid;
  INSERT INTO devices_fts (rowid, name) VALUES (NEW.rowid, lower(NEW.name));
END;
`,
};
