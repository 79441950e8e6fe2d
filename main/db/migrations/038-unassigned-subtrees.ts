import type { Migration } from './index';

/**
 * Issue 17, bulk jobs that grow linearly: the unassigned-device counts (migration 36) cost a
 * job at 1,000,000 devices more than the pairs it writes.
 * - `device_unassigned_own` is dropped. Nothing read it: the readers sum `device_unassigned`
 *   (per subtree) at their scope roots. It was kept only for a group linked or unlinked
 *   under an ancestor (a new group, a moved subtree), which now counts that group's own
 *   unassigned devices from the devices themselves (`devices_group`, a group's devices).
 *   Each device's first assignment wrote two rows in two tables of 10,000 groups; it now
 *   writes the one, so a chunk of a job leaves half as many pages for its commit.
 * - `tally_batch`: while a row names a table here, that table's unassigned-count triggers
 *   stand aside, because the batch writer that put it there (main/features/devices/
 *   assignment-batch.ts) keeps the counts itself, once per group for the whole batch, and
 *   removes the row before its transaction ends. It is never committed with a row in it.
 *   Every other write (one pair, a replica's changes, a device's removal) is counted by the
 *   triggers as before. Not replicated.
 * `device_unassigned` itself is unchanged: it stays equal to a recount
 * (test/integration/device-tally-property.test.ts). Re-runnable.
 */

const ancestorsOf = (group: string) => `group_id IN (SELECT ancestor FROM group_closure WHERE descendant = ${group})`;
const unassigned = (device: string) => `NOT EXISTS (SELECT 1 FROM device_assignments WHERE device_id = ${device})`;
const deviceGroup = (device: string) => `(SELECT group_id FROM devices WHERE id = ${device})`;
const standingAside = "EXISTS (SELECT 1 FROM tally_batch WHERE tbl = 'device_assignments')";

/** The device's group (an SQL expression) gains (+1) or loses (-1) an unassigned device, in its row and every ancestor's; rows at 1 go first so CHECK (n > 0) holds. */
const step = (group: string, by: 1 | -1) =>
  by === 1
    ? `
  INSERT INTO device_unassigned (group_id, n) SELECT ancestor, 1 FROM group_closure WHERE descendant = ${group} AND true
    ON CONFLICT DO UPDATE SET n = n + 1;`
    : `
  DELETE FROM device_unassigned WHERE ${ancestorsOf(group)} AND n = 1;
  UPDATE device_unassigned SET n = n - 1 WHERE ${ancestorsOf(group)};`;

/** A group's own unassigned devices, counted from its devices (a link or unlink: rare, a group's devices at most). */
const ownUnassigned = (group: string) => `(SELECT count(*) FROM devices d WHERE d.group_id = ${group} AND ${unassigned('d.id')})`;

export const unassignedSubtrees: Migration = {
  version: 38,
  name: 'unassigned-subtrees',
  sql: `
CREATE TABLE IF NOT EXISTS tally_batch (tbl TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
DELETE FROM tally_batch;

DROP TRIGGER IF EXISTS device_unassigned_insert;
DROP TRIGGER IF EXISTS device_unassigned_delete;
DROP TRIGGER IF EXISTS device_unassigned_move;
DROP TRIGGER IF EXISTS device_unassigned_assign;
DROP TRIGGER IF EXISTS device_unassigned_unassign;
DROP TRIGGER IF EXISTS device_unassigned_link;
DROP TRIGGER IF EXISTS device_unassigned_unlink;
DROP TABLE IF EXISTS device_unassigned_own;

CREATE TRIGGER device_unassigned_insert AFTER INSERT ON devices WHEN ${unassigned('NEW.id')} BEGIN${step('NEW.group_id', 1)}
END;

-- Before: the assignments a removal cascades to are still there to say whether the device was unassigned.
CREATE TRIGGER device_unassigned_delete BEFORE DELETE ON devices WHEN ${unassigned('OLD.id')} BEGIN${step('OLD.group_id', -1)}
END;

CREATE TRIGGER device_unassigned_move AFTER UPDATE OF group_id ON devices
WHEN OLD.group_id IS NOT NEW.group_id AND ${unassigned('NEW.id')} BEGIN${step('OLD.group_id', -1)}${step('NEW.group_id', 1)}
END;

-- A device's first assignment makes it assigned; its last one gone (the device still there) makes it unassigned again.
CREATE TRIGGER device_unassigned_assign AFTER INSERT ON device_assignments
WHEN NOT ${standingAside} AND (SELECT count(*) FROM device_assignments WHERE device_id = NEW.device_id) = 1
BEGIN${step(deviceGroup('NEW.device_id'), -1)}
END;

CREATE TRIGGER device_unassigned_unassign AFTER DELETE ON device_assignments
WHEN NOT ${standingAside} AND ${unassigned('OLD.device_id')} AND EXISTS (SELECT 1 FROM devices WHERE id = OLD.device_id)
BEGIN${step(deviceGroup('OLD.device_id'), 1)}
END;

-- A group linked under an ancestor (a new group, a moved subtree) brings its own unassigned devices to that ancestor's count ...
CREATE TRIGGER device_unassigned_link AFTER INSERT ON group_closure WHEN ${ownUnassigned('NEW.descendant')} > 0 BEGIN
  INSERT INTO device_unassigned (group_id, n) VALUES (NEW.ancestor, ${ownUnassigned('NEW.descendant')})
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- ... and takes them away when unlinked.
CREATE TRIGGER device_unassigned_unlink AFTER DELETE ON group_closure WHEN ${ownUnassigned('OLD.descendant')} > 0 BEGIN
  DELETE FROM device_unassigned WHERE group_id = OLD.ancestor AND n = ${ownUnassigned('OLD.descendant')};
  UPDATE device_unassigned SET n = n - ${ownUnassigned('OLD.descendant')} WHERE group_id = OLD.ancestor;
END;
`,
};
