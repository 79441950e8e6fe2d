import type { Db } from '../db/connection';
import { perConnection, stmt } from '../db/statements';
import { BATCHED_TABLES, isReplicatedTable, type ReplicatedTable } from './replicated';
import { tableShape } from './shape';

/** One row of the change log, as a hub serves it and a replica applies it. */
export interface Change {
  /** The global change sequence: the cursor a replica pulls after. */
  seq: number;
  table: string;
  /** The primary key as a JSON array, in key order; for `insert_many` and `delete_many`, a JSON array of such keys. */
  pk: string;
  /** `insert_many` and `delete_many`: many rows of a key-only table, written by a batch (main/sync/batch.ts). */
  op: 'insert' | 'update' | 'delete' | 'insert_many' | 'delete_many';
  /** The logged columns outside the key as a JSON object; null for deletes, batches and key-only tables. */
  row: string | null;
}

/**
 * Changes after `cursor`, oldest first, at most `limit` of them. Writers are serialized
 * and take the next `seq` under the write lock, so a reader never sees a later sequence
 * committed before an earlier one: pulling by `seq > cursor` misses nothing.
 */
export function readChanges(db: Db, cursor: number, limit: number): Change[] {
  return stmt<[number, number], Change>(db, 'SELECT seq, tbl AS "table", pk, op, row FROM changes WHERE seq > ? ORDER BY seq LIMIT ?').all(
    cursor,
    limit,
  );
}

/** How far `source`'s log has been applied here; 0 when never. */
export function appliedCursor(db: Db, source: string): number {
  return stmt<[string], { seq: number }>(db, 'SELECT seq FROM change_cursor WHERE source = ?').get(source)?.seq ?? 0;
}

/**
 * A replica's writer for one table, from its own columns: upsert by key (never INSERT OR
 * REPLACE, whose delete would cascade to the row's children) and delete by key. The change's
 * JSON is parsed once in JS, not once per column in SQL. Key columns come from the key, others
 * from the row; BLOBs arrive as hex. A withheld (secret) column arrives only as "set or not": it
 * is NULL or a stand-in (`withheld:<key>`, an empty BLOB, 0), so that "has an authenticator"
 * reads the same on the replica as on the hub.
 */
export interface RowWriter {
  upsert(pk: string, row: string | null): void;
  remove(pk: string): void;
}

const rowWriters = new WeakMap<Db, Map<string, RowWriter>>();

/**
 * The writer of `table` (a replicated table, or one a replica's undo log puts back) on this
 * connection, built once. Throws, as SQLite would, for a row the schema refuses.
 */
export function rowWriter(db: Db, table: string): RowWriter {
  return perConnection(rowWriters, db, table, () => {
    // tableShape reads any table's columns; only the replicated ones have secret columns listed.
    const shape = tableShape(db, table as ReplicatedTable);
    const keyNames = shape.key.map((c) => c.name);
    const columns = [...shape.logged, ...shape.withheld];
    const updated = columns.filter((c) => !keyNames.includes(c.name)).map((c) => `"${c.name}" = excluded."${c.name}"`);
    const conflict = updated.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updated.join(', ')}`;
    const upsert = db.prepare(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (${keyNames.map((n) => `"${n}"`).join(', ')}) ${conflict}`,
    );
    const remove = db.prepare(`DELETE FROM "${table}" WHERE ${keyNames.map((n) => `"${n}" = ?`).join(' AND ')}`);
    const withheld = new Set(shape.withheld.map((c) => c.name));
    // Each column's source, worked out once: a pull writes a hundred thousand rows through this.
    const plan = columns.map((c) => ({ c, index: keyNames.indexOf(c.name), withheld: withheld.has(c.name), blob: c.type === 'BLOB' }));
    const standIn = (type: string, pk: string): unknown => {
      const value = ({ TEXT: `withheld:${pk}`, BLOB: Buffer.alloc(0), INTEGER: 0, REAL: 0 } as Record<string, unknown>)[type];
      if (value === undefined) throw new Error(`change capture: ${table} has a withheld ${type} column; say what a replica keeps in it`);
      return value;
    };
    const values = (pk: string, key: unknown[], row: Record<string, unknown>): unknown[] =>
      plan.map(({ c, index, withheld: secret, blob }) => {
        if (index >= 0) return key[index];
        const value = row[c.name];
        if (secret) return c.notNull || value ? standIn(c.type, pk) : null;
        if (value === undefined || value === null) return null;
        return blob ? Buffer.from(String(value), 'hex') : value;
      });
    const keyOf = (pk: string): unknown[] => {
      const key = JSON.parse(pk) as unknown;
      if (!Array.isArray(key) || key.length !== keyNames.length)
        throw new Error(`${table}: a key must be a JSON array of ${keyNames.length}`);
      return key;
    };
    return {
      upsert: (pk, row) => void upsert.run(values(pk, keyOf(pk), row ? (JSON.parse(row) as Record<string, unknown>) : {})),
      remove: (pk) => void remove.run(keyOf(pk)),
    };
  });
}

/** A batch's keys; throws for a pk that is not a JSON array of arrays (a corrupt or foreign change). */
function batchKeys(change: Change): unknown[][] {
  const keys = JSON.parse(change.pk) as unknown;
  if (!Array.isArray(keys) || !keys.every((k) => Array.isArray(k)))
    throw new Error(`change ${change.seq}: ${change.op} needs a JSON array of keys`);
  return keys as unknown[][];
}

/**
 * Applies `changes` (in `seq` order, from `source`'s log) to the replica `db`, in one
 * IMMEDIATE transaction, and returns the replica's cursor for `source` afterwards.
 *
 * - Exactly once: changes at or below the stored cursor are skipped, so a batch delivered
 *   twice, or overlapping the last, changes nothing the second time; the cursor moves in
 *   the same transaction as the rows.
 * - Foreign keys are checked at commit (the log may name a child before its parent within
 *   one source transaction); cascades still run, and the source logged the same deletes.
 * - The replica's own capture triggers fire on these writes; the rows they log are removed
 *   before commit, so the replica's log holds only what happened on the replica itself.
 *
 * Throws, applying nothing, for a table that is not replicated, an unknown op, or a row
 * the replica's schema refuses.
 */
export function applyChanges(db: Db, changes: readonly Change[], source = 'hub'): number {
  return db
    .transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      const cursor = appliedCursor(db, source);
      const ownFrom = stmt<[], { seq: number | null }>(db, 'SELECT max(seq) AS seq FROM changes').get()?.seq ?? 0;
      let last = cursor;
      for (const change of changes) {
        if (change.seq <= last) continue;
        if (!isReplicatedTable(change.table)) throw new Error(`change ${change.seq}: ${change.table} is not a replicated table`);
        const w = rowWriter(db, change.table);
        if (change.op === 'delete') w.remove(change.pk);
        else if (change.op === 'insert' || change.op === 'update') w.upsert(change.pk, change.row);
        else if (change.op === 'insert_many' || change.op === 'delete_many') {
          if (!(BATCHED_TABLES as readonly string[]).includes(change.table))
            throw new Error(`change ${change.seq}: ${change.table} is not written in batches`);
          for (const key of batchKeys(change)) {
            if (change.op === 'insert_many') w.upsert(JSON.stringify(key), null);
            else w.remove(JSON.stringify(key));
          }
        } else throw new Error(`change ${String((change as Change).seq)}: unknown op`);
        last = change.seq;
      }
      stmt(db, 'DELETE FROM changes WHERE seq > ?').run(ownFrom);
      stmt(db, 'INSERT INTO change_cursor (source, seq) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET seq = excluded.seq').run(
        source,
        last,
      );
      return last;
    })
    .immediate();
}
