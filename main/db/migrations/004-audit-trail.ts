import type { Migration } from './index';

/**
 * Audit at scale: indexes for the view's filters, and retention. Events stay append-only;
 * the only deletion allowed is pruning, which first records the last pruned event's hash
 * as the anchor that verification starts from, so the kept chain still verifies.
 */
export const auditTrail: Migration = {
  version: 4,
  name: 'audit-trail',
  sql: `
CREATE INDEX audit_group_seq ON audit_events (group_id, seq);
CREATE INDEX audit_at ON audit_events (at);
CREATE INDEX audit_action_seq ON audit_events (action, seq);
CREATE INDEX audit_action_group_at ON audit_events (action, group_id, at);
CREATE INDEX audit_target_seq ON audit_events (target_id, seq);

CREATE TABLE audit_prunes (
  through_seq INTEGER PRIMARY KEY,
  anchor_hash TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_prunes_no_update BEFORE UPDATE ON audit_prunes
BEGIN SELECT RAISE(ABORT, 'audit prune records are append-only'); END;
CREATE TRIGGER audit_prunes_no_delete BEFORE DELETE ON audit_prunes
BEGIN SELECT RAISE(ABORT, 'audit prune records are append-only'); END;

DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_prunes WHERE through_seq >= OLD.seq)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`,
};
