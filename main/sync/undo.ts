import type { Db } from '../db/connection';
import { stmt } from '../db/statements';
import { rowWriter } from './apply';
import { keySql, rowSql } from './capture';
import { REPLICATED_TABLES, type ReplicatedTable } from './replicated';
import { tableShape, type TableShape } from './shape';

/**
 * A replica's undo log (docs/sync.md, "Rebase"): the first before-image of every row its own
 * commands changed since the last pull, kept by triggers in `sync_undo` (NULL row: the row did
 * not exist). Putting them back gives the hub's state as last pulled, onto which a pull applies
 * the hub's news and the pending commands run again.
 *
 * Besides the replicated tables, a bulk job's own rows are undone too: the job is re-created
 * by its command when that runs again, and is gone once the hub has answered it.
 */
export const UNDONE_TABLES = [...REPLICATED_TABLES, 'device_jobs', 'device_job_items'] as const;
export type UndoneTable = (typeof UNDONE_TABLES)[number];

const PREFIX = 'undo_';
const QUIET = 'NOT EXISTS (SELECT 1 FROM sync_quiet)';

function shapeOf(db: Db, table: UndoneTable): TableShape {
  // tableShape reads any table's columns; the replicated ones alone have secret columns listed.
  return tableShape(db, table as ReplicatedTable);
}

/** The row as the change log writes it, or '{}' for a key-only row (NULL is kept for "absent"). */
function imageSql(shape: TableShape, prefix: string): string {
  const row = rowSql(shape, prefix);
  return row === 'NULL' ? `'{}'` : row;
}

function triggersFor(shape: TableShape): string[] {
  const t = shape.table;
  const remember = (key: string, row: string) => `INSERT OR IGNORE INTO sync_undo (tbl, pk, row) VALUES ('${t}', ${key}, ${row});`;
  return [
    `CREATE TRIGGER "${PREFIX}${t}_insert" AFTER INSERT ON "${t}" WHEN ${QUIET} BEGIN ${remember(keySql(shape, 'NEW.'), 'NULL')} END`,
    `CREATE TRIGGER "${PREFIX}${t}_update" AFTER UPDATE ON "${t}" WHEN ${QUIET} BEGIN ` +
      `${remember(keySql(shape, 'OLD.'), imageSql(shape, 'OLD.'))} ${remember(keySql(shape, 'NEW.'), 'NULL')} END`,
    `CREATE TRIGGER "${PREFIX}${t}_delete" AFTER DELETE ON "${t}" WHEN ${QUIET} BEGIN ${remember(keySql(shape, 'OLD.'), imageSql(shape, 'OLD.'))} END`,
  ];
}

/**
 * Makes this database's undo triggers match its tables' columns now (a replica calls it at
 * every open, after migrations). Returns the number of triggers written.
 */
export function installUndo(db: Db): number {
  return db
    .transaction(() => {
      const have = db
        .prepare<[], { name: string; sql: string }>(
          `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'undo\\_%' ESCAPE '\\'`,
        )
        .all();
      const wanted = UNDONE_TABLES.flatMap((t) => triggersFor(shapeOf(db, t)));
      const same = have.length === wanted.length && wanted.every((sql) => have.some((h) => h.sql === sql));
      if (same) return 0;
      for (const h of have) db.exec(`DROP TRIGGER "${h.name}"`);
      for (const sql of wanted) db.exec(sql);
      return wanted.length;
    })
    .immediate();
}

/**
 * Puts every row the undo log holds back as it was before the replica's own commands, newest
 * change first, and empties the log. Call inside the pull's transaction, with `sync_quiet`
 * set and foreign keys deferred. Answers the number of rows put back.
 */
export function restoreUndo(db: Db): number {
  const rows = stmt<[], { tbl: UndoneTable; pk: string; row: string | null }>(
    db,
    'SELECT tbl, pk, row FROM sync_undo ORDER BY id DESC',
  ).all();
  for (const r of rows) {
    if (!(UNDONE_TABLES as readonly string[]).includes(r.tbl)) throw new Error(`sync_undo names ${r.tbl}, which is not undone`);
    const w = rowWriter(db, r.tbl);
    if (r.row === null) w.remove(r.pk);
    else w.upsert(r.pk, r.row);
  }
  stmt(db, 'DELETE FROM sync_undo').run();
  return rows.length;
}

/** Whether the undo log holds anything: the replica's own writes since the last pull, which the next pull puts back. */
export function undoPending(db: Db): boolean {
  return stmt<[], { one: number }>(db, 'SELECT 1 AS one FROM sync_undo LIMIT 1').get() !== undefined;
}
