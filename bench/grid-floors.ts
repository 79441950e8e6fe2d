import type { Db } from '../main/db/connection';

type Statement = readonly [sql: string, params: readonly unknown[]];

const COLUMNS = 'd.id, d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id, g.name AS group_name';
const BY_NAME = 'devices d INDEXED BY devices_by_name CROSS JOIN groups g ON g.id = d.group_id';
const TWO_STATUSES = ['warning', 'failed', 'offline'];
const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;
const TWO_OS = sqlList(['Windows 11', 'Windows 10']);
const BACKUP_ORDER = 'ifnull(d.last_backup_at, -9223372036854775808) DESC, d.name COLLATE NOCASE DESC, d.id DESC';
/** One status's devices of the two OS, newest backup first, as many as the window at 500 can need: one index range each. */
const statusWalk = (status: string) =>
  `SELECT * FROM (SELECT d.id, d.name, d.kind, d.os, d.status, d.last_backup_at, d.group_id,
     ifnull(d.last_backup_at, -9223372036854775808) AS k0, d.name AS k1
   FROM devices d INDEXED BY devices_by_status_backup WHERE d.status = '${status}' AND d.os IN ${TWO_OS} ORDER BY ${BACKUP_ORDER} LIMIT 600)`;

/**
 * The grid's rows by hand (issue 17's raw-SQL floors), each statement in the plan a careful
 * hand gives it at a million rows. SQLite's own choice over plain SQL flips with the sampled
 * statistics, as the audit floor's did (42, 658 and 325 ms at 1M: no floor at all). Each
 * floor is a function that runs:
 * - the count, from the tally of the root (`rootId`), the same per-group counts the list
 *   reads (a count(*) of a million rows is a scan); "contains" from the trigram index;
 * - the window, walking the index of its order (INDEXED BY, devices first, each row's group
 *   by id); two filters and a sort by last backup, one walk of (status, last backup) per
 *   status merged (a single walk in backup order reads the 90% of devices that do not match);
 *   the deep window (rows from `deepOffset` on) paged on from the row before it (keyset), as
 *   the grid pages on;
 * - the window's holders.
 * No access rule. The two-filter window is the devices bench's grid floor too.
 */
export function gridFloors(db: Db, rootId: string, deepOffset: number) {
  const holders = db.prepare(
    `SELECT a.device_id, u.id, u.username, u.full_name FROM device_assignments a JOIN users u ON u.id = a.user_id
     WHERE a.device_id IN (SELECT value FROM json_each(?))`,
  );
  const page = ([countSql, countParams]: Statement, [rowsSql, rowsParams]: Statement) => {
    const count = db.prepare(countSql);
    const rows = db.prepare(rowsSql);
    return () => {
      count.get(...countParams);
      holders.all(JSON.stringify((rows.all(...rowsParams) as Array<{ id: string }>).map((x) => x.id)));
    };
  };
  const fleet: Statement = ['SELECT sum(n) FROM device_tally WHERE group_id = ?', [rootId]];
  // The row before the deep window, where the window before it ended (found before the clock starts).
  const before = db
    .prepare('SELECT name, id FROM devices INDEXED BY devices_by_name ORDER BY name COLLATE NOCASE, id LIMIT 1 OFFSET ?')
    .get(deepOffset - 1) as { name: string; id: string };
  return {
    first: page(fleet, [`SELECT ${COLUMNS} FROM ${BY_NAME} ORDER BY d.name COLLATE NOCASE, d.id LIMIT 200`, []]),
    contains: page(
      [`SELECT count(*) FROM devices_fts('"srv"')`, []],
      [`SELECT ${COLUMNS} FROM ${BY_NAME} WHERE instr(lower(d.name), 'srv') > 0 ORDER BY d.name COLLATE NOCASE, d.id LIMIT 200`, []],
    ),
    twoFilters: page(
      [`${fleet[0]} AND os IN ${TWO_OS} AND status IN ${sqlList(TWO_STATUSES)}`, fleet[1]],
      [
        `SELECT u.*, g.name AS group_name FROM (${TWO_STATUSES.map(statusWalk).join(' UNION ALL ')}) u
         CROSS JOIN groups g ON g.id = u.group_id ORDER BY u.k0 DESC, u.k1 COLLATE NOCASE DESC, u.id DESC LIMIT 100 OFFSET 500`,
        [],
      ],
    ),
    deep: page(fleet, [
      `SELECT ${COLUMNS} FROM ${BY_NAME} WHERE d.name COLLATE NOCASE >= ? AND (d.name COLLATE NOCASE > ? OR d.id > ?)
       ORDER BY d.name COLLATE NOCASE, d.id LIMIT 200`,
      [before.name, before.name, before.id],
    ]),
  };
}
