import type { Migration } from './index';

/** Issue 5: every saved version of a custom role, for history, diff and revert. */
export const roleHistory: Migration = {
  version: 5,
  name: 'role-history',
  sql: `
CREATE TABLE role_versions (
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  device_visibility TEXT NOT NULL,
  permissions TEXT NOT NULL,
  PRIMARY KEY (role_id, version)
) STRICT;
`,
};
