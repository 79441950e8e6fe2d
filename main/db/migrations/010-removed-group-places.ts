import type { Migration } from './index';

/**
 * Audit events outlive the groups they were filed under. A removed group keeps a row here
 * with its name and kind, the parent it had, and the nearest ancestor that still exists
 * (`surviving_id`); audit scoping reads an event at a removed group as filed at that
 * surviving ancestor, so the readers who saw it before (audit.view there or above) still
 * do, and nobody else. Re-filing at the surviving ancestor (rather than freezing the
 * removed group's ancestry) keeps such events moving with that ancestor if it is later
 * moved, exactly like the events filed at the ancestor itself. A trigger keeps the table,
 * so no removal path can forget it: removing a group re-points the groups removed below
 * it (a group is removable only once its children are gone) to its parent.
 *
 * Groups removed before this migration are recovered from their removal events (filed at
 * the parent, with the kind in `before`); events at groups with no trace at all are filed
 * at the root, which only root readers could see whole before.
 */
export const removedGroupPlaces: Migration = {
  version: 10,
  name: 'removed-group-places',
  sql: `
CREATE TABLE removed_groups (
  id TEXT PRIMARY KEY,
  parent_id TEXT NOT NULL,
  surviving_id TEXT NOT NULL,
  kind TEXT,
  name TEXT NOT NULL
) STRICT;
CREATE INDEX removed_groups_surviving ON removed_groups (surviving_id);
CREATE INDEX removed_groups_parent ON removed_groups (parent_id);

CREATE TRIGGER groups_removed_keep_place AFTER DELETE ON groups WHEN OLD.parent_id IS NOT NULL
BEGIN
  UPDATE removed_groups SET surviving_id = OLD.parent_id WHERE surviving_id = OLD.id;
  INSERT OR REPLACE INTO removed_groups (id, parent_id, surviving_id, kind, name)
  VALUES (OLD.id, OLD.parent_id, OLD.parent_id, OLD.kind, OLD.name);
END;

INSERT OR IGNORE INTO removed_groups (id, parent_id, surviving_id, kind, name)
SELECT e.target_id, e.group_id, e.group_id, json_extract(e.before, '$.kind'), coalesce(e.target_name, 'Removed group')
FROM audit_events e
WHERE e.action = 'groups.remove' AND e.outcome = 'success' AND e.target_type = 'group' AND e.before IS NOT NULL
  AND e.group_id IS NOT NULL AND e.target_id IS NOT NULL AND e.group_id <> e.target_id
  AND e.target_id NOT IN (SELECT id FROM groups)
ORDER BY e.seq;

WITH RECURSIVE up(id, place, depth) AS (
  SELECT id, parent_id, 0 FROM removed_groups
  UNION ALL
  SELECT up.id, r.parent_id, up.depth + 1 FROM up JOIN removed_groups r ON r.id = up.place WHERE up.depth < 64
)
UPDATE removed_groups SET surviving_id = coalesce(
  (SELECT up.place FROM up WHERE up.id = removed_groups.id AND up.place IN (SELECT id FROM groups) ORDER BY up.depth LIMIT 1),
  (SELECT id FROM groups WHERE parent_id IS NULL),
  surviving_id
);

INSERT OR IGNORE INTO removed_groups (id, parent_id, surviving_id, kind, name)
SELECT DISTINCT e.group_id, root.id, root.id, NULL, 'Removed group'
FROM audit_events e JOIN groups root ON root.parent_id IS NULL
WHERE e.group_id IS NOT NULL AND e.group_id NOT IN (SELECT id FROM groups) AND e.group_id NOT IN (SELECT id FROM removed_groups);
`,
};
