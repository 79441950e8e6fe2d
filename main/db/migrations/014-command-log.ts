import { randomUUID } from 'node:crypto';
import type { Migration } from './index';

/**
 * Issue 12: commands as envelopes (docs/architecture.md, "The life of a command").
 * - `installation`: this data folder's identity, the `origin` of every command made here.
 *   Its one row is drawn here, once; a copied data folder keeps it (main/sync/installation.ts).
 * - `command_log`: one envelope per command that reached its handler, written in the same
 *   transaction as the command's audit event (`audit_seq`). `origin_seq` counts the
 *   commands of one installation without gaps, which is what lets a hub skip what it has.
 *   The envelope holds no secret in clear: `sealed` is the installation key's seal over what
 *   only this installation may replay (drawn bytes, the outcome of `prepare`), and is never
 *   sent anywhere.
 * Neither table is replicated: a replica's envelopes reach the hub by push, not by capture.
 */
export const commandLog: Migration = {
  version: 14,
  name: 'command-log',
  sql: `
CREATE TABLE IF NOT EXISTS installation (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Keyed by the audit event's seq (the order commands were recorded in); (origin, origin_seq) is
-- what a hub checks to take each command once. Two b-trees per row: a refused call writes one too.
CREATE TABLE IF NOT EXISTS command_log (
  audit_seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL,
  operation TEXT NOT NULL,
  actor_id TEXT,
  envelope TEXT NOT NULL,
  sealed BLOB,
  UNIQUE (origin, origin_seq)
) STRICT;
`,
  // Not a command: the schema step that gives the folder its identity, before any command can run.
  run(db) {
    db.prepare('INSERT OR IGNORE INTO installation (one, id, created_at) VALUES (1, ?, ?)').run(randomUUID(), Date.now());
  },
};
