import type { Migration } from './index';

/**
 * Issue 18, the dashboard's freshness without scans (R30, R33, docs/scale.md,
 * main/features/dashboard/freshness.ts): per group, how many devices were last backed up in
 * each UTC hour (`hour` = floor(last_backup_at / 3,600,000); never backed up is the row at
 * NEVER_HOUR). The dashboard counts as of a whole hour, so every bucket edge falls on an hour
 * boundary and each bucket is an exact sum of rows.
 * - `device_backup_hour_own`: the devices a group owns itself, by hour.
 * - `device_backup_hour`: the same over each group's whole subtree (through `group_closure`):
 *   a scope root's freshness reads its rows from the oldest edge (7 days) on.
 * - `device_backup_day`: the subtree's devices by UTC day (floor(hour / 24)): the ranked
 *   groups' "over 7 days" reads a few dozen day rows each, and the edge's day in hours.
 * - `device_unassigned_own` / `device_unassigned`: per group (own, and over its subtree), the
 *   devices with no assignment at all: the "unassigned devices" of Access hygiene and the
 *   dashboard (the devices list's {assignment: unassigned}).
 * Triggers on `devices`, `device_assignments` and `group_closure` keep all five in the
 * writer's own transaction, as migration 34 keeps the tallies: every row is `n > 0`, so each
 * table equals a recount of the devices at all times
 * (test/integration/device-tally-property.test.ts). A device's removal is counted before it
 * goes (a BEFORE trigger), while its assignments are still there to say whether it was
 * unassigned; the assignments its removal cascades to find no device and change nothing.
 * Not replicated: a replica's own triggers keep its copy. Re-runnable: a database rewound
 * below 36 recounts.
 */

/** The `hour` (and `day`) of a device never backed up: below any hour a JavaScript date can name (±2.4e9). */
export const NEVER_HOUR = -1_000_000_000_000;

/** floor(ms / 3,600,000) in integer SQL (SQLite's division truncates toward zero), or NEVER_HOUR for NULL. */
const hourOf = (ms: string) =>
  `(CASE WHEN ${ms} IS NULL THEN ${NEVER_HOUR} ELSE ${ms} / 3600000 - (${ms} < 0 AND ${ms} % 3600000 <> 0) END)`;
/** The UTC day of an hour (floor(hour / 24)); NEVER_HOUR stays itself. */
export const dayOf = (hour: string) =>
  `(CASE WHEN ${hour} = ${NEVER_HOUR} THEN ${NEVER_HOUR} ELSE ${hour} / 24 - (${hour} < 0 AND ${hour} % 24 <> 0) END)`;

const table = (name: string, key: 'hour' | 'day') => `
CREATE TABLE IF NOT EXISTS ${name} (
  group_id TEXT NOT NULL,
  ${key} INTEGER NOT NULL,
  n INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (group_id, ${key})
) STRICT, WITHOUT ROWID;`;

const ancestorsOf = (group: string) => `group_id IN (SELECT ancestor FROM group_closure WHERE descendant = ${group})`;

/** One device `row` (OLD or NEW) leaves its counts: rows at 1 go before the others count down, so CHECK (n > 0) holds at every step. */
const remove = (row: string) => {
  const hour = hourOf(`${row}.last_backup_at`);
  const day = dayOf(hour);
  return `
  DELETE FROM device_backup_hour_own WHERE group_id = ${row}.group_id AND hour = ${hour} AND n = 1;
  UPDATE device_backup_hour_own SET n = n - 1 WHERE group_id = ${row}.group_id AND hour = ${hour};
  DELETE FROM device_backup_hour WHERE ${ancestorsOf(`${row}.group_id`)} AND hour = ${hour} AND n = 1;
  UPDATE device_backup_hour SET n = n - 1 WHERE ${ancestorsOf(`${row}.group_id`)} AND hour = ${hour};
  DELETE FROM device_backup_day WHERE ${ancestorsOf(`${row}.group_id`)} AND day = ${day} AND n = 1;
  UPDATE device_backup_day SET n = n - 1 WHERE ${ancestorsOf(`${row}.group_id`)} AND day = ${day};`;
};

/** One device `row` joins its group's counts and those of every group above it. */
const add = (row: string) => {
  const hour = hourOf(`${row}.last_backup_at`);
  return `
  INSERT INTO device_backup_hour_own (group_id, hour, n) VALUES (${row}.group_id, ${hour}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO device_backup_hour (group_id, hour, n)
    SELECT ancestor, ${hour}, 1 FROM group_closure WHERE descendant = ${row}.group_id AND true ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO device_backup_day (group_id, day, n)
    SELECT ancestor, ${dayOf(hour)}, 1 FROM group_closure WHERE descendant = ${row}.group_id AND true ON CONFLICT DO UPDATE SET n = n + 1;`;
};

/** A group's own devices by day, from its own hours. */
const ownDays = (group: string) =>
  `SELECT ${dayOf('hour')} AS day, sum(n) AS n FROM device_backup_hour_own WHERE group_id = ${group} GROUP BY 1`;

const unassigned = 'NOT EXISTS (SELECT 1 FROM device_assignments WHERE device_id = ';
/** The device `group` (an SQL expression) gains (+1) or loses (-1) an unassigned device, in its own row and every ancestor's. */
const unassignedStep = (group: string, step: 1 | -1) =>
  step === 1
    ? `
  INSERT INTO device_unassigned_own (group_id, n) VALUES (${group}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO device_unassigned (group_id, n) SELECT ancestor, 1 FROM group_closure WHERE descendant = ${group} AND true
    ON CONFLICT DO UPDATE SET n = n + 1;`
    : `
  DELETE FROM device_unassigned_own WHERE group_id = ${group} AND n = 1;
  UPDATE device_unassigned_own SET n = n - 1 WHERE group_id = ${group};
  DELETE FROM device_unassigned WHERE ${ancestorsOf(group)} AND n = 1;
  UPDATE device_unassigned SET n = n - 1 WHERE ${ancestorsOf(group)};`;
const deviceGroup = (device: string) => `(SELECT group_id FROM devices WHERE id = ${device})`;

export const dashboardAggregates: Migration = {
  version: 36,
  name: 'dashboard-aggregates',
  sql: `${table('device_backup_hour_own', 'hour')}
${table('device_backup_hour', 'hour')}
${table('device_backup_day', 'day')}
CREATE TABLE IF NOT EXISTS device_unassigned_own (group_id TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n > 0)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS device_unassigned (group_id TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n > 0)) STRICT, WITHOUT ROWID;

DROP TRIGGER IF EXISTS device_backup_insert;
DROP TRIGGER IF EXISTS device_backup_delete;
DROP TRIGGER IF EXISTS device_backup_update;
DROP TRIGGER IF EXISTS device_backup_link;
DROP TRIGGER IF EXISTS device_backup_unlink;
DROP TRIGGER IF EXISTS device_unassigned_insert;
DROP TRIGGER IF EXISTS device_unassigned_delete;
DROP TRIGGER IF EXISTS device_unassigned_move;
DROP TRIGGER IF EXISTS device_unassigned_assign;
DROP TRIGGER IF EXISTS device_unassigned_unassign;
DROP TRIGGER IF EXISTS device_unassigned_link;
DROP TRIGGER IF EXISTS device_unassigned_unlink;
DELETE FROM device_unassigned_own;
DELETE FROM device_unassigned;
INSERT INTO device_unassigned_own (group_id, n)
  SELECT group_id, count(*) FROM devices d WHERE ${unassigned}d.id) GROUP BY 1;
INSERT INTO device_unassigned (group_id, n)
  SELECT c.ancestor, sum(o.n) FROM device_unassigned_own o JOIN group_closure c ON c.descendant = o.group_id GROUP BY 1;
DELETE FROM device_backup_hour_own;
DELETE FROM device_backup_hour;
DELETE FROM device_backup_day;
INSERT INTO device_backup_hour_own (group_id, hour, n)
  SELECT group_id, ${hourOf('last_backup_at')}, count(*) FROM devices GROUP BY 1, 2;
INSERT INTO device_backup_hour (group_id, hour, n)
  SELECT c.ancestor, o.hour, sum(o.n) FROM device_backup_hour_own o JOIN group_closure c ON c.descendant = o.group_id GROUP BY 1, 2;
INSERT INTO device_backup_day (group_id, day, n)
  SELECT group_id, ${dayOf('hour')}, sum(n) FROM device_backup_hour GROUP BY 1, 2;

CREATE TRIGGER device_backup_insert AFTER INSERT ON devices BEGIN${add('NEW')}
END;

CREATE TRIGGER device_backup_delete AFTER DELETE ON devices BEGIN${remove('OLD')}
END;

CREATE TRIGGER device_backup_update AFTER UPDATE OF group_id, last_backup_at ON devices
WHEN OLD.group_id IS NOT NEW.group_id OR OLD.last_backup_at IS NOT NEW.last_backup_at BEGIN${remove('OLD')}${add('NEW')}
END;

CREATE TRIGGER device_unassigned_insert AFTER INSERT ON devices WHEN ${unassigned}NEW.id) BEGIN${unassignedStep('NEW.group_id', 1)}
END;

-- Before: the assignments a removal cascades to are still there to say whether the device was unassigned.
CREATE TRIGGER device_unassigned_delete BEFORE DELETE ON devices WHEN ${unassigned}OLD.id) BEGIN${unassignedStep('OLD.group_id', -1)}
END;

CREATE TRIGGER device_unassigned_move AFTER UPDATE OF group_id ON devices
WHEN OLD.group_id IS NOT NEW.group_id AND ${unassigned}NEW.id) BEGIN${unassignedStep('OLD.group_id', -1)}${unassignedStep('NEW.group_id', 1)}
END;

-- A device's first assignment makes it assigned; its last one gone (the device still there) makes it unassigned again.
CREATE TRIGGER device_unassigned_assign AFTER INSERT ON device_assignments
WHEN (SELECT count(*) FROM device_assignments WHERE device_id = NEW.device_id) = 1 BEGIN${unassignedStep(deviceGroup('NEW.device_id'), -1)}
END;

CREATE TRIGGER device_unassigned_unassign AFTER DELETE ON device_assignments
WHEN ${unassigned}OLD.device_id) AND EXISTS (SELECT 1 FROM devices WHERE id = OLD.device_id) BEGIN${unassignedStep(deviceGroup('OLD.device_id'), 1)}
END;

CREATE TRIGGER device_unassigned_link AFTER INSERT ON group_closure BEGIN
  INSERT INTO device_unassigned (group_id, n) SELECT NEW.ancestor, n FROM device_unassigned_own WHERE group_id = NEW.descendant AND true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER device_unassigned_unlink AFTER DELETE ON group_closure BEGIN
  DELETE FROM device_unassigned WHERE group_id = OLD.ancestor AND n = (SELECT n FROM device_unassigned_own WHERE group_id = OLD.descendant);
  UPDATE device_unassigned SET n = n - (SELECT n FROM device_unassigned_own WHERE group_id = OLD.descendant)
    WHERE group_id = OLD.ancestor AND EXISTS (SELECT 1 FROM device_unassigned_own WHERE group_id = OLD.descendant);
END;

-- A group linked under an ancestor (a new group, a moved subtree) brings its own devices to that ancestor's subtree counts.
CREATE TRIGGER device_backup_link AFTER INSERT ON group_closure BEGIN
  INSERT INTO device_backup_hour (group_id, hour, n)
    SELECT NEW.ancestor, hour, n FROM device_backup_hour_own WHERE group_id = NEW.descendant AND true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO device_backup_day (group_id, day, n)
    SELECT NEW.ancestor, o.day, o.n FROM (${ownDays('NEW.descendant')}) o WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- ... and takes them away when unlinked (a moved subtree leaves its old ancestors).
CREATE TRIGGER device_backup_unlink AFTER DELETE ON group_closure BEGIN
  DELETE FROM device_backup_hour WHERE group_id = OLD.ancestor AND EXISTS (
    SELECT 1 FROM device_backup_hour_own o WHERE o.group_id = OLD.descendant AND o.hour = device_backup_hour.hour AND o.n = device_backup_hour.n);
  UPDATE device_backup_hour SET n = device_backup_hour.n - o.n FROM device_backup_hour_own o
    WHERE device_backup_hour.group_id = OLD.ancestor AND o.group_id = OLD.descendant AND o.hour = device_backup_hour.hour;
  DELETE FROM device_backup_day WHERE group_id = OLD.ancestor AND EXISTS (
    SELECT 1 FROM (${ownDays('OLD.descendant')}) o WHERE o.day = device_backup_day.day AND o.n = device_backup_day.n);
  UPDATE device_backup_day SET n = device_backup_day.n - o.n FROM (${ownDays('OLD.descendant')}) o
    WHERE device_backup_day.group_id = OLD.ancestor AND o.day = device_backup_day.day;
END;
`,
};
