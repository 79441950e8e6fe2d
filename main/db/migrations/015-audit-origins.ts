import type { Migration } from './index';

/**
 * Issue 12: an audit chain that merges (docs/architecture.md, "An audit chain that merges").
 * Every event belongs to the installation that made it (`origin`) and has its place in that
 * installation's own chain (`origin_seq`: 1, 2, 3… without gaps); `seq` stays the order in
 * which events reached this database.
 *
 * Events written before this step keep the hash they were written with: they become this
 * installation's events with `origin_seq = seq` and `hash_format = 1` (the formula over the
 * sequence number), so they still verify and re-hashing never hides an edit made before the
 * upgrade. New events are written with `hash_format = 2` (over origin and origin_seq).
 * Pruning records its anchor per origin, and the delete trigger allows removing an origin's
 * events only up to its anchor.
 *
 * Re-runnable (a database rewound to an earlier user_version runs it again): columns are added
 * only when missing, rows are filled only where empty, triggers are dropped and made again.
 */
export const auditOrigins: Migration = {
  version: 15,
  name: 'audit-origins',
  // All in `run`: the statements below need the columns, and SQLite has no ADD COLUMN IF NOT EXISTS.
  sql: '',
  run(db) {
    const has = (table: 'audit_events' | 'audit_prunes', column: string) =>
      db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .some((c) => c.name === column);
    // Nullable here because ALTER cannot add NOT NULL without a default; the insert trigger below requires them.
    if (!has('audit_events', 'origin')) db.exec('ALTER TABLE audit_events ADD COLUMN origin TEXT');
    if (!has('audit_events', 'origin_seq')) db.exec('ALTER TABLE audit_events ADD COLUMN origin_seq INTEGER');
    // The default is the legacy format, so the rows already stored take it without being rewritten.
    if (!has('audit_events', 'hash_format'))
      db.exec('ALTER TABLE audit_events ADD COLUMN hash_format INTEGER NOT NULL DEFAULT 1 CHECK (hash_format IN (1, 2))');
    if (!has('audit_prunes', 'origin')) db.exec('ALTER TABLE audit_prunes ADD COLUMN origin TEXT');
    if (!has('audit_prunes', 'origin_seq')) db.exec('ALTER TABLE audit_prunes ADD COLUMN origin_seq INTEGER');
    db.exec(`
DROP TRIGGER IF EXISTS audit_events_no_update;
UPDATE audit_events SET origin = (SELECT id FROM installation WHERE one = 1), origin_seq = seq WHERE origin IS NULL;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

DROP TRIGGER IF EXISTS audit_prunes_no_update;
UPDATE audit_prunes SET origin = (SELECT id FROM installation WHERE one = 1), origin_seq = through_seq WHERE origin IS NULL;
CREATE TRIGGER audit_prunes_no_update BEFORE UPDATE ON audit_prunes
BEGIN SELECT RAISE(ABORT, 'audit prune records are append-only'); END;

CREATE UNIQUE INDEX IF NOT EXISTS audit_origin_seq ON audit_events (origin, origin_seq);
CREATE INDEX IF NOT EXISTS audit_prunes_origin_seq ON audit_prunes (origin, origin_seq);

DROP TRIGGER IF EXISTS audit_events_origin_required;
CREATE TRIGGER audit_events_origin_required BEFORE INSERT ON audit_events
WHEN NEW.origin IS NULL OR NEW.origin_seq IS NULL OR NEW.origin_seq < 1
BEGIN SELECT RAISE(ABORT, 'an audit event needs its origin and its place in that origin''s chain'); END;

DROP TRIGGER IF EXISTS audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_prunes WHERE origin = OLD.origin AND origin_seq >= OLD.origin_seq)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

DROP TRIGGER IF EXISTS audit_prunes_origin_required;
CREATE TRIGGER audit_prunes_origin_required BEFORE INSERT ON audit_prunes
WHEN NEW.origin IS NULL OR NEW.origin_seq IS NULL
BEGIN SELECT RAISE(ABORT, 'a prune anchor needs its origin and its place in that origin''s chain'); END;
`);
  },
};
