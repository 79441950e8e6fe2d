import type { Migration } from './index';

/** The first schema version with change capture: from here on runMigrations keeps the capture triggers in step. */
export const CHANGE_LOG_VERSION = 13;

/**
 * Issue 12: the change log a replica pulls by cursor (`seq` is the global change sequence),
 * and, on a replica, how far it has applied each source's log. The capture triggers are not
 * written here: they are generated from the tables' columns (main/sync/capture.ts) right
 * after this step and after every later one, so a column a later migration adds is captured
 * without touching them. `seq` is never reused as long as the newest row is kept: the log
 * may be pruned from the front only. IF NOT EXISTS: a database rewound to an earlier
 * user_version (recovery-codes-keyed.test.ts does) runs this step again.
 */
export const changeLog: Migration = {
  version: CHANGE_LOG_VERSION,
  name: 'change-log',
  sql: `
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  -- The primary key as a JSON array, in key order.
  pk TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
  -- The logged columns outside the key as a JSON object; NULL for deletes and for tables whose row is its key.
  row TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS change_cursor (
  source TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) STRICT;
`,
};
