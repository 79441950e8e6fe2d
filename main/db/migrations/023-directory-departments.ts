import type { Migration } from './index';

/**
 * Issue 14: departments synced from a company's directory (LDAP / Active Directory).
 * - `directory_sync`: one per company. Off by default; `enabled_by` is who turned it on: the
 *   scheduled runs act within that person's rights at the company. The bind password is
 *   sealed with the data folder's key and is a secret column of the change log.
 * - `directory_departments`: the marker of a synced department ("synced from …"): which
 *   directory department it is. A synced department is not renamed or removed by hand while
 *   its company's sync is on.
 * Re-runnable (IF NOT EXISTS).
 */
export const directoryDepartments: Migration = {
  version: 23,
  name: 'directory-departments',
  sql: `
CREATE TABLE IF NOT EXISTS directory_sync (
  company_id TEXT PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
  connector TEXT NOT NULL CHECK (connector IN ('ldap')),
  settings TEXT NOT NULL,
  secret_sealed BLOB,
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0,1)),
  enabled_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  last_run_at INTEGER,
  last_report TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS directory_departments (
  group_id TEXT PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
  company_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  directory_name TEXT NOT NULL,
  source TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS directory_departments_company ON directory_departments (company_id, directory_name);
`,
};
