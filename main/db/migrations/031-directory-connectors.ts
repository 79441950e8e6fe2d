import type { Migration } from './index';

/**
 * Issue 14: departments from Microsoft Graph and Google's Directory API besides LDAP.
 * - `directory_sync` is rebuilt to admit the connectors `graph` and `google`: SQLite cannot
 *   alter a CHECK in place. Nothing references it; its capture triggers go with the old
 *   table and are made again after this step (runMigrations), its rows as they were.
 *   `secret_sealed` now holds the connector's secret: the bind password, the client secret
 *   or the service account's private key.
 * Re-runnable: a database rewound to user_version 23 runs this again and rebuilds again.
 */
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
`,
};
