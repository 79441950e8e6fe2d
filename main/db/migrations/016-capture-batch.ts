import type { Migration } from './index';

/**
 * Issue 12, the cost of change capture: batched writes to key-only tables
 * (docs/architecture.md, "Change capture", and main/sync/batch.ts).
 * - `capture_batch`: while a row names a table here, that table's insert and delete capture
 *   triggers log nothing; the batch writer that put it there logs its rows itself, as one
 *   `insert_many` or `delete_many` change, and removes the row before its transaction ends.
 *   It is never committed with a row in it. Not replicated.
 * - `changes` is rebuilt to admit the two new ops: SQLite cannot alter a CHECK in place.
 *   `legacy_alter_table` keeps the rename from rewriting (or checking) the capture triggers,
 *   which name `changes` and find the new table under that name; `seq` values are copied as
 *   they are, so cursors stay valid.
 * Re-runnable: a database rewound to user_version 15 runs this again and rebuilds again.
 */
export const captureBatch: Migration = {
  version: 16,
  name: 'capture-batch',
  sql: `
CREATE TABLE IF NOT EXISTS capture_batch (
  tbl TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

PRAGMA legacy_alter_table = ON;
DROP TABLE IF EXISTS changes_rebuilt;
CREATE TABLE changes_rebuilt (
  seq INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  -- The primary key as a JSON array, in key order; for insert_many and delete_many, a JSON array of such keys.
  pk TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert','update','delete','insert_many','delete_many')),
  -- The logged columns outside the key as a JSON object; NULL for deletes, batches and tables whose row is its key.
  row TEXT
) STRICT;
INSERT INTO changes_rebuilt (seq, tbl, pk, op, row) SELECT seq, tbl, pk, op, row FROM changes;
DROP TABLE changes;
ALTER TABLE changes_rebuilt RENAME TO changes;
PRAGMA legacy_alter_table = OFF;
`,
};
