import type { Migration } from './index';

/**
 * Issue 14: departments from Microsoft Graph and Google's Directory API besides LDAP.
 * - `directory_sync` is rebuilt to admit the connectors `graph` and `google`: SQLite cannot
 *   alter a CHECK in place. Nothing references it; its capture triggers go with the old
 *   table and are made again after this step (runMigrations), its rows as they were.
 *   `secret_sealed` now holds the connector's secret: the bind password, the client secret
 *   or the service account's private key.
 * - What a sync owns, as a guard every writer meets (R29): while a company's sync is on, its
 *   synced departments are not renamed, given another kind, moved or removed, and nobody is
 *   added to or taken out of them, except by the sync itself, which names its company in
 *   `directory_applying` while it applies a run (and removes it before its transaction
 *   ends: it is never committed with a row). The handlers refuse these changes first, with
 *   a message naming the field; the triggers make sure no other path, present or future,
 *   slips past. Removing a person still takes their memberships with them (the cascade runs
 *   once the person's row is gone). Not replicated: a replica holds no directory tables.
 * Re-runnable: a database rewound to an earlier version runs this again and rebuilds again.
 */
const REFUSED = 'R29: a department synced from the directory is changed only by the sync while it is on';

/** SQL: the group is a synced department of a company whose sync is on, and that sync is not the writer. */
function owned(groupId: string): string {
  return `EXISTS (SELECT 1 FROM directory_departments d JOIN directory_sync s ON s.company_id = d.company_id
      WHERE d.group_id = ${groupId} AND s.enabled = 1)
    AND NOT EXISTS (SELECT 1 FROM directory_applying)`;
}

export const directoryConnectors: Migration = {
  version: 31,
  name: 'directory-connectors',
  sql: `
PRAGMA legacy_alter_table = ON;
DROP TABLE IF EXISTS directory_sync_rebuilt;
CREATE TABLE directory_sync_rebuilt (
  company_id TEXT PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
  connector TEXT NOT NULL CHECK (connector IN ('ldap','graph','google')),
  settings TEXT NOT NULL,
  secret_sealed BLOB,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0,1)),
  enabled_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  last_run_at INTEGER,
  last_report TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
) STRICT;
INSERT INTO directory_sync_rebuilt (company_id, connector, settings, secret_sealed, enabled, enabled_by, last_run_at, last_report, version, updated_at)
  SELECT company_id, connector, json_set(settings, '$.connector', connector), secret_sealed, enabled, enabled_by, last_run_at, last_report, version, updated_at
  FROM directory_sync;
DROP TABLE directory_sync;
ALTER TABLE directory_sync_rebuilt RENAME TO directory_sync;
PRAGMA legacy_alter_table = OFF;

CREATE TABLE IF NOT EXISTS directory_applying (
  company_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

DROP TRIGGER IF EXISTS directory_owned_group_update;
CREATE TRIGGER directory_owned_group_update BEFORE UPDATE OF name, kind, parent_id ON groups
WHEN (NEW.name IS NOT OLD.name OR NEW.kind IS NOT OLD.kind OR NEW.parent_id IS NOT OLD.parent_id)
  AND ${owned('OLD.id')}
BEGIN SELECT RAISE(ABORT, '${REFUSED}'); END;

DROP TRIGGER IF EXISTS directory_owned_group_delete;
CREATE TRIGGER directory_owned_group_delete BEFORE DELETE ON groups
WHEN ${owned('OLD.id')}
BEGIN SELECT RAISE(ABORT, '${REFUSED}'); END;

DROP TRIGGER IF EXISTS directory_owned_membership_insert;
CREATE TRIGGER directory_owned_membership_insert BEFORE INSERT ON user_departments
WHEN ${owned('NEW.group_id')}
BEGIN SELECT RAISE(ABORT, '${REFUSED}'); END;

DROP TRIGGER IF EXISTS directory_owned_membership_delete;
CREATE TRIGGER directory_owned_membership_delete BEFORE DELETE ON user_departments
WHEN ${owned('OLD.group_id')} AND EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id)
BEGIN SELECT RAISE(ABORT, '${REFUSED}'); END;
`,
};
