import type { Migration } from './index';

/**
 * Issue 13: the hub and its replicas (DESIGN 6, docs/sync.md).
 *
 * Everywhere:
 * - `command_log.refusal`: a refused command's error as JSON ({code, message, field?}), NULL
 *   when it was applied. A hub answers a replica's push from it, also after a crash lost the
 *   push's answer.
 *
 * On a hub:
 * - `sync_replicas`: each replica installation, the one person it belongs to (set by its
 *   first connect, never changed), its token, and the cursor its last pull was answered with.
 *   Like sessions, this is the transport's bookkeeping, not a command.
 * - `sync_held`: what the hub has sent each replica and not taken back, by table and key: a
 *   pull sends what became visible and takes back what stopped being.
 *
 * On a replica (one row in `sync_hub` says it is one):
 * - `sync_hub`: the hub's address and pinned certificate, the person, the replica's token and
 *   the person's offline verifier (both sealed), the pull cursor, the last of this
 *   installation's commands the hub has answered.
 * - `sync_results`: the hub's answer to each pushed command that it refused; the Sync issues panel.
 * - `sync_undo`: the first before-image of every row a local command changed since the last
 *   pull (NULL: the row did not exist), so a pull can put the hub's state back first.
 * - `sync_quiet`: while it holds a row, the undo triggers stand aside (a pull is writing).
 */
export const sync: Migration = {
  version: 17,
  name: 'sync',
  // IF NOT EXISTS, and the column added only when missing: a database rewound to an earlier user_version runs this step again.
  sql: `
CREATE TABLE IF NOT EXISTS sync_replicas (
  installation TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  connected_at INTEGER NOT NULL,
  last_contact INTEGER NOT NULL,
  served_cursor INTEGER NOT NULL DEFAULT -1,
  -- The replica's token (keyed hash) and the person's credentials as they were at connect (keyed hash): a password or authenticator changed since ends it.
  token_hash TEXT NOT NULL,
  credential TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS sync_held (
  installation TEXT NOT NULL,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  PRIMARY KEY (installation, tbl, pk)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sync_hub (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  url TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  certificate TEXT NOT NULL,
  user_id TEXT,
  token_sealed BLOB,
  -- The person's own offline verifier (password hash and authenticator key), sealed with the installation's key.
  verifier_sealed BLOB,
  cursor INTEGER NOT NULL DEFAULT 0,
  answered_seq INTEGER NOT NULL DEFAULT 0,
  last_contact INTEGER,
  offline_window_ms INTEGER NOT NULL DEFAULT 604800000,
  rebase_from INTEGER,
  work_offline INTEGER NOT NULL DEFAULT 0 CHECK (work_offline IN (0, 1))
) STRICT;

CREATE TABLE IF NOT EXISTS sync_results (
  seq INTEGER PRIMARY KEY,
  operation TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  field TEXT,
  input TEXT NOT NULL,
  at INTEGER NOT NULL,
  dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1))
) STRICT;

CREATE TABLE IF NOT EXISTS sync_undo (
  id INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  row TEXT,
  UNIQUE (tbl, pk)
) STRICT;

CREATE TABLE IF NOT EXISTS sync_quiet (one INTEGER PRIMARY KEY CHECK (one = 1)) STRICT;
`,
  run(db) {
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('command_log')").all();
    if (!columns.some((c) => c.name === 'refusal')) db.exec('ALTER TABLE command_log ADD COLUMN refusal TEXT');
  },
};
