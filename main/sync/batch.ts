import type { Db } from '../db/connection';
import { perConnection, stmt } from '../db/statements';
import { BATCH_FLAG_TABLE } from './capture';
import type { BatchedTable } from './replicated';
import { tableShape } from './shape';

/** One row's key, in key order (device_assignments: device id, user id). */
export type BatchKey = readonly (string | number)[];

/** Keys per statement, largest first: a statement per row pays SQLite's statement journal on every row of a table with triggers. */
const PIECES = [100, 10, 1];
/** Keys per change row, so that one change stays small enough to pull and apply in a batch. */
const KEYS_PER_CHANGE = 1000;

interface BatchSql {
  keyColumns: string;
  insert(n: number): string;
  remove(n: number): string;
}

const sqlCache = new WeakMap<Db, Map<BatchedTable, BatchSql>>();

function batchSql(db: Db, table: BatchedTable): BatchSql {
  return perConnection(sqlCache, db, table, () => {
    const shape = tableShape(db, table);
    if (shape.logged.length !== shape.key.length || shape.withheld.length > 0)
      throw new Error(`change capture: ${table} has columns outside its key and cannot be written in batches`);
    const columns = shape.key.map((c) => `"${c.name}"`).join(', ');
    const tuple = `(${shape.key.map(() => '?').join(', ')})`;
    const tuples = (n: number) => Array.from({ length: n }, () => tuple).join(', ');
    return {
      keyColumns: columns,
      insert: (n: number) => `INSERT INTO "${table}" (${columns}) VALUES ${tuples(n)}`,
      remove: (n: number) => `DELETE FROM "${table}" WHERE (${columns}) IN (VALUES ${tuples(n)}) RETURNING ${columns}`,
    };
  });
}

/** Whether `table` is captured right now: its triggers exist (the bench drops them to measure a floor without capture). */
function capturing(db: Db, table: BatchedTable, op: 'insert' | 'delete'): boolean {
  return (
    stmt<[string], { one: number }>(db, "SELECT 1 AS one FROM sqlite_schema WHERE type = 'trigger' AND name = ?").get(
      `capture_${table}_${op}`,
    ) !== undefined
  );
}

/**
 * Inserts or deletes many rows of a key-only replicated table and logs them as
 * `insert_many` / `delete_many` changes (pk: a JSON array of keys, at most 1,000 per change)
 * instead of one change per row (docs/architecture.md, "Change capture", batches).
 *
 * - `insert`: every key is inserted, as a plain INSERT would: a key already present, or one
 *   whose parent row is missing, throws and the caller's transaction rolls back.
 * - `delete`: the keys present are deleted; absent ones are skipped, and only the rows
 *   actually deleted are logged.
 *
 * While it writes, the table's insert and delete triggers stand aside (`capture_batch` names
 * the table); the row is removed before this returns or throws, so it is never committed and
 * every other write to the table, before or after, is captured by the triggers as usual.
 * Must run inside the caller's write transaction, so the rows and their change commit or
 * roll back together. Returns the number of rows changed.
 */
export function captureBatch(db: Db, table: BatchedTable, op: 'insert' | 'delete', keys: readonly BatchKey[]): number {
  if (!db.inTransaction) throw new Error('captureBatch: call it inside the write transaction of the rows it writes');
  if (keys.length === 0) return 0;
  const sql = batchSql(db, table);
  const log = capturing(db, table, op);
  const changed: BatchKey[] = [];
  stmt(db, `INSERT INTO ${BATCH_FLAG_TABLE} (tbl) VALUES (?)`).run(table);
  try {
    let at = 0;
    for (const size of PIECES) {
      const write = stmt(db, op === 'insert' ? sql.insert(size) : sql.remove(size));
      for (; at + size <= keys.length; at += size) {
        const params = keys.slice(at, at + size).flat();
        if (op === 'insert') write.run(params);
        else for (const row of write.raw().all(params) as BatchKey[]) changed.push(row);
      }
    }
  } finally {
    stmt(db, `DELETE FROM ${BATCH_FLAG_TABLE} WHERE tbl = ?`).run(table);
  }
  const written = op === 'insert' ? keys : changed;
  if (log) {
    const change = stmt(db, 'INSERT INTO changes (tbl, pk, op, row) VALUES (?, ?, ?, NULL)');
    for (let at = 0; at < written.length; at += KEYS_PER_CHANGE)
      change.run(table, JSON.stringify(written.slice(at, at + KEYS_PER_CHANGE)), `${op}_many`);
  }
  return written.length;
}
