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
 * Triggers on `devices` and `group_closure` keep all three in the writer's own transaction, as
 * migration 34 keeps the tallies: every row is `n > 0`, so each table equals a recount of the
 * devices at all times (test/integration/device-tally-property.test.ts). Not replicated: a
 * replica's own triggers keep its copy. Re-runnable: a database rewound below 36 recounts.
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

export const backupHours: Migration = {
  version: 36,
  name: 'backup-hours',
  sql: `${table('device_backup_hour_own', 'hour')}
${table('device_backup_hour', 'hour')}
${table('device_backup_day', 'day')}

DROP TRIGGER IF EXISTS device_backup_insert;
DROP TRIGGER IF EXISTS device_backup_delete;
DROP TRIGGER IF EXISTS device_backup_update;
DROP TRIGGER IF EXISTS device_backup_link;
DROP TRIGGER IF EXISTS device_backup_unlink;
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
