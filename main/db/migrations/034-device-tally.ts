import type { Migration } from './index';

/**
 * Issue 17, counts without scans (R30, docs/scale.md, main/features/devices/aggregates.ts):
 * - `device_tally_own`: per group, how many devices it owns itself for each combination of
 *   status, kind and OS (the facets' dimensions, and the grid's filters on them).
 * - `device_tally`: the same over each group's whole subtree: for every group, the sum of
 *   `device_tally_own` over its descendants and itself, through `group_closure`. Facets and
 *   "N devices match" read a handful of these rows instead of the devices.
 * - `device_group_count`: per group, the devices it owns (the tree's counts).
 * Triggers on `devices` and on `group_closure` keep all three in the writer's own
 * transaction, whatever writes them (commands, imports, a replica's pull, moving a group,
 * tests): every row is `n > 0` (a count that falls to zero is removed), so each table equals
 * a recount of the devices at all times (test/integration/device-tally-property.test.ts).
 * Not replicated: a replica's own triggers keep its copy as it applies the hub's rows.
 * Re-runnable: a database rewound below 34 recounts from `devices`.
 */
const table = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  group_id TEXT NOT NULL,
  status TEXT NOT NULL,
  kind TEXT NOT NULL,
  os TEXT NOT NULL,
  n INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (group_id, status, kind, os)
) STRICT, WITHOUT ROWID;`;

const ancestorsOf = (group: string) => `group_id IN (SELECT ancestor FROM group_closure WHERE descendant = ${group})`;
const combination = (row: string) => `status = ${row}.status AND kind = ${row}.kind AND os = ${row}.os`;

/** One device `row` (OLD or NEW) leaves its counts: rows at 1 go before the others count down, so CHECK (n > 0) holds at every step. */
const remove = (row: string) => `
  DELETE FROM device_tally_own WHERE group_id = ${row}.group_id AND ${combination(row)} AND n = 1;
  UPDATE device_tally_own SET n = n - 1 WHERE group_id = ${row}.group_id AND ${combination(row)};
  DELETE FROM device_tally WHERE ${ancestorsOf(`${row}.group_id`)} AND ${combination(row)} AND n = 1;
  UPDATE device_tally SET n = n - 1 WHERE ${ancestorsOf(`${row}.group_id`)} AND ${combination(row)};
  DELETE FROM device_group_count WHERE group_id = ${row}.group_id AND n = 1;
  UPDATE device_group_count SET n = n - 1 WHERE group_id = ${row}.group_id;`;

/** One device `row` joins its group's counts and those of every group above it. */
const add = (row: string) => `
  INSERT INTO device_tally_own (group_id, status, kind, os, n) VALUES (${row}.group_id, ${row}.status, ${row}.kind, ${row}.os, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO device_tally (group_id, status, kind, os, n)
    SELECT ancestor, ${row}.status, ${row}.kind, ${row}.os, 1 FROM group_closure WHERE descendant = ${row}.group_id AND true
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO device_group_count (group_id, n) VALUES (${row}.group_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;`;

export const deviceTally: Migration = {
  version: 34,
  name: 'device-tally',
  sql: `${table('device_tally_own')}
${table('device_tally')}
CREATE TABLE IF NOT EXISTS device_group_count (
  group_id TEXT PRIMARY KEY,
  n INTEGER NOT NULL CHECK (n > 0)
) STRICT, WITHOUT ROWID;

DROP TRIGGER IF EXISTS device_tally_insert;
DROP TRIGGER IF EXISTS device_tally_delete;
DROP TRIGGER IF EXISTS device_tally_update;
DROP TRIGGER IF EXISTS device_tally_link;
DROP TRIGGER IF EXISTS device_tally_unlink;
DELETE FROM device_tally_own;
DELETE FROM device_tally;
DELETE FROM device_group_count;
INSERT INTO device_tally_own (group_id, status, kind, os, n)
  SELECT group_id, status, kind, os, count(*) FROM devices GROUP BY group_id, status, kind, os;
INSERT INTO device_tally (group_id, status, kind, os, n)
  SELECT c.ancestor, o.status, o.kind, o.os, sum(o.n) FROM device_tally_own o JOIN group_closure c ON c.descendant = o.group_id
  GROUP BY c.ancestor, o.status, o.kind, o.os;
INSERT INTO device_group_count (group_id, n) SELECT group_id, sum(n) FROM device_tally_own GROUP BY group_id;

CREATE TRIGGER device_tally_insert AFTER INSERT ON devices BEGIN${add('NEW')}
END;

CREATE TRIGGER device_tally_delete AFTER DELETE ON devices BEGIN${remove('OLD')}
END;

CREATE TRIGGER device_tally_update AFTER UPDATE OF group_id, status, kind, os ON devices
WHEN OLD.group_id IS NOT NEW.group_id OR OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind OR OLD.os IS NOT NEW.os BEGIN${remove('OLD')}${add('NEW')}
END;

-- A group linked under an ancestor (a new group, a moved subtree) brings its own devices to that ancestor's subtree counts.
CREATE TRIGGER device_tally_link AFTER INSERT ON group_closure BEGIN
  INSERT INTO device_tally (group_id, status, kind, os, n)
    SELECT NEW.ancestor, status, kind, os, n FROM device_tally_own WHERE group_id = NEW.descendant AND true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- ... and takes them away when unlinked (a moved subtree leaves its old ancestors).
CREATE TRIGGER device_tally_unlink AFTER DELETE ON group_closure BEGIN
  DELETE FROM device_tally WHERE group_id = OLD.ancestor AND EXISTS (
    SELECT 1 FROM device_tally_own o WHERE o.group_id = OLD.descendant AND o.status = device_tally.status AND o.kind = device_tally.kind
      AND o.os = device_tally.os AND o.n = device_tally.n);
  UPDATE device_tally SET n = device_tally.n - o.n FROM device_tally_own o
    WHERE device_tally.group_id = OLD.ancestor AND o.group_id = OLD.descendant AND o.status = device_tally.status
      AND o.kind = device_tally.kind AND o.os = device_tally.os;
END;
`,
};
