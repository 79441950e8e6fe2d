import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { captureBatch } from '../../sync/batch';

/** A device–person pair, in the key order of device_assignments. */
export type Pair = readonly [deviceId: string, userId: string];

/**
 * How many of a batch's devices (a JSON array of ids) have no assignment, summed at their
 * group and each of its ancestors: the rows of device_unassigned the batch moves, as a JSON
 * array of [group id, count].
 */
const UNASSIGNED_BY_ANCESTOR = `SELECT json_group_array(json_array(g, n)) AS rows FROM (
  SELECT c.ancestor AS g, count(*) AS n FROM devices d JOIN group_closure c ON c.descendant = d.group_id
  WHERE d.id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)
  GROUP BY c.ancestor)`;

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

function unassignedByAncestor(db: Db, devices: string): string {
  return stmt<[string], { rows: string }>(db, UNASSIGNED_BY_ANCESTOR).get(devices)?.rows ?? '[]';
}

/** Adds (+1) or takes away (-1) counts ([group id, n] rows as JSON) from device_unassigned; rows that reach 0 are removed (CHECK n > 0). */
function moveCounts(db: Db, rows: string, direction: 1 | -1): void {
  if (rows === '[]') return;
  if (direction === 1) {
    stmt(
      db,
      `INSERT INTO device_unassigned (group_id, n) SELECT g, n FROM ${ROWS} WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ).run(rows);
    return;
  }
  stmt(db, `DELETE FROM device_unassigned WHERE (group_id, n) IN ${ROWS}`).run(rows);
  stmt(db, `UPDATE device_unassigned SET n = device_unassigned.n - u.n FROM ${ROWS} u WHERE device_unassigned.group_id = u.g`).run(rows);
}
