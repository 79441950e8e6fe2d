import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { captureBatch } from '../../sync/batch';
import { loadPlaces } from './classify';

/** A device–person pair, in the key order of device_assignments. */
export type Pair = readonly [deviceId: string, userId: string];

/** Per group, how many of a batch's devices (a JSON array of ids) have no assignment now. */
const UNASSIGNED_BY_GROUP = `SELECT d.group_id AS g, count(*) AS n FROM json_each(?) j CROSS JOIN devices d ON d.id = j.value
  WHERE NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id) GROUP BY d.group_id`;

/** The rows of a JSON array of [group id, count] as a table (g, n). */
const ROWS = '(SELECT value ->> 0 AS g, value ->> 1 AS n FROM json_each(?))';

/**
 * Writes many device_assignments pairs in the caller's write transaction, with their change
 * log (`captureBatch`: one `insert_many` / `delete_many` per 1,000 pairs) and the unassigned
 * counts (R33, migration 38) kept once per group for the whole batch instead of by a trigger
 * for each pair: a chunk of 160 devices at 1,000,000 devices moves about 430 rows (their
 * groups and ancestors), where a trigger per device moved five each, the root's 160 times
 * (issue 17).
 * - `insert`: every pair is inserted; a pair already present, or a missing device or person,
 *   throws and the caller's transaction rolls back. Devices that had no assignment leave the
 *   counts of their group and its ancestors.
 * - `delete`: the pairs present are deleted, absent ones skipped. Devices left with no
 *   assignment join the counts.
 * Returns the number of pairs written. Throws when called outside a transaction.
 */
export function writeAssignments(db: Db, op: 'insert' | 'delete', pairs: readonly Pair[]): number {
  if (!db.inTransaction) throw new Error('writeAssignments: call it inside the write transaction of the pairs it writes');
  if (pairs.length === 0) return 0;
  const devices = JSON.stringify([...new Set(pairs.map(([deviceId]) => deviceId))]);
  stmt(db, "INSERT INTO tally_batch (tbl) VALUES ('device_assignments')").run();
  try {
    if (op === 'insert') {
      // Counted before: the devices with no assignment yet are those the batch takes out of the counts (theirs and their ancestors').
      const leaving = unassignedByAncestor(db, devices);
      const written = captureBatch(db, 'device_assignments', 'insert', pairs);
      moveCounts(db, leaving, -1);
      return written;
    }
    const assignedBefore = stmt<[string], { ids: string }>(
      db,
      `SELECT json_group_array(value) AS ids FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = j.value)`,
    ).get(devices)?.ids;
    const written = captureBatch(db, 'device_assignments', 'delete', pairs);
    // Counted after: of the devices that had an assignment, those left with none join the counts.
    moveCounts(db, unassignedByAncestor(db, assignedBefore ?? '[]'), 1);
    return written;
  } finally {
    stmt(db, "DELETE FROM tally_batch WHERE tbl = 'device_assignments'").run();
  }
}

/**
 * The batch's devices with no assignment, summed at their group and at each of its ancestors:
 * the rows of device_unassigned the batch moves, as [group id, count]. The ancestors are the
 * group paths a job's chunk classifies with (classify.ts `loadPlaces`), cached per connection
 * and dropped at the end of every command and after every replica pull: a writer that moved
 * groups outside a command would have to drop them too, as it would for classification.
 */
function unassignedByAncestor(db: Db, devices: string): Array<[string, number]> {
  const own = stmt<[string], { g: string; n: number }>(db, UNASSIGNED_BY_GROUP).all(devices);
  const places = loadPlaces(
    db,
    own.map((r) => r.g),
  );
  const sums = new Map<string, number>();
  for (const { g, n } of own) for (const ancestor of places.get(g)?.path ?? []) sums.set(ancestor, (sums.get(ancestor) ?? 0) + n);
  return [...sums];
}

/**
 * Adds (+1) or takes away (-1) counts from device_unassigned. Taking away, the rows that stay
 * above 0 are updated first, and only when some did not (a group's last unassigned devices)
 * are the rows that reach 0 deleted (CHECK n > 0): mid-job, a chunk seldom empties a group.
 */
function moveCounts(db: Db, counts: Array<[string, number]>, direction: 1 | -1): void {
  if (counts.length === 0) return;
  const rows = JSON.stringify(counts);
  if (direction === 1) {
    stmt(
      db,
      `INSERT INTO device_unassigned (group_id, n) SELECT g, n FROM ${ROWS} WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ).run(rows);
    return;
  }
  const updated = new Set(
    stmt<[string], { g: string }>(
      db,
      `UPDATE device_unassigned SET n = device_unassigned.n - u.n FROM ${ROWS} u
       WHERE device_unassigned.group_id = u.g AND device_unassigned.n > u.n RETURNING group_id AS g`,
    )
      .all(rows)
      .map((r) => r.g),
  );
  const emptied = counts.filter(([group]) => !updated.has(group));
  if (emptied.length > 0) stmt(db, `DELETE FROM device_unassigned WHERE (group_id, n) IN ${ROWS}`).run(JSON.stringify(emptied));
}
