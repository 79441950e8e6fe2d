import type { Db } from '../db/connection';
import { BATCHED_TABLES, REPLICATED_TABLES, type ReplicatedTable } from './replicated';
import { redaction, tableShape, type Column, type TableShape } from './shape';

/**
 * Change capture by triggers generated from each replicated table's current columns
 * (docs/architecture.md, "Change capture"). Triggers are the one place every write passes,
 * raw SQL and foreign-key cascades included, and they write in the writer's transaction.
 */

const PREFIX = 'capture_';

function ref(prefix: string, column: Column): string {
  return `${prefix}"${column.name}"`;
}

/** One logged column as SQL over `prefix`'s row: redacted where a secret sits inside it, BLOBs as hex (JSON holds no BLOB). */
function valueSql(shape: TableShape, column: Column, prefix: string): string {
  const redacted = redaction(shape.table, column.name, prefix);
  // '' || strips the JSON subtype json_replace and friends give their result, which json_object would embed as JSON, not as the column's text.
  if (redacted) return `('' || (${redacted}))`;
  if (column.type === 'BLOB') return `CASE WHEN ${ref(prefix, column)} IS NULL THEN NULL ELSE hex(${ref(prefix, column)}) END`;
  if (column.type === 'ANY') throw new Error(`change capture: ${shape.table}.${column.name} is ANY; say how to log it`);
  return ref(prefix, column);
}

/** The key as a JSON array in key order: one form for single and composite keys. */
export function keySql(shape: TableShape, prefix: string): string {
  return `json_array(${shape.key.map((c) => ref(prefix, c)).join(', ')})`;
}

/** Whether a withheld column holds anything, as 1 or 0: a replica may know that an account has an authenticator, never what it is. */
function presenceSql(column: Column, prefix: string): string {
  return `${ref(prefix, column)} IS NOT NULL`;
}

/**
 * The logged columns outside the key, and the presence of each withheld one, as a JSON
 * object; NULL for a table whose row is its key.
 */
export function rowSql(shape: TableShape, prefix: string): string {
  const keyNames = new Set(shape.key.map((c) => c.name));
  const rest = shape.logged.filter((c) => !keyNames.has(c.name));
  const fields = [
    ...rest.map((c) => `'${c.name}', ${valueSql(shape, c, prefix)}`),
    ...shape.withheld.map((c) => `'${c.name}', ${presenceSql(c, prefix)}`),
  ];
  return fields.length === 0 ? 'NULL' : `json_object(${fields.join(', ')})`;
}

function insertChange(table: string, key: string, op: string, row: string): string {
  return `INSERT INTO changes (tbl, pk, op, row) VALUES ('${table}', ${key}, '${op}', ${row});`;
}

/** The flag table a batch writer sets (migration 16); tables are batched only once it exists. */
export const BATCH_FLAG_TABLE = 'capture_batch';

/**
 * Whether `table`'s insert and delete triggers stand aside for a batch writer (main/sync/batch.ts):
 * it is listed as batched and the flag table exists (a database before migration 16 keeps the
 * plain triggers, so no step writes through a trigger naming a missing table).
 */
export function isBatched(db: Db, table: ReplicatedTable): boolean {
  if (!(BATCHED_TABLES as readonly string[]).includes(table)) return false;
  return (
    db.prepare<[string], { one: number }>("SELECT 1 AS one FROM sqlite_schema WHERE type = 'table' AND name = ?").get(BATCH_FLAG_TABLE) !==
    undefined
  );
}

/**
 * Whether this database is a replica (migration 17's sync_hub holds its hub): its capture
 * triggers then also stand aside while a pull writes (`sync_quiet`), since what a replica
 * logs of the hub's rows is never read, and logging 100,000 rows of an initial sync is most
 * of its cost.
 */
export function isReplica(db: Db): boolean {
  const table = db.prepare<[], { one: number }>("SELECT 1 AS one FROM sqlite_schema WHERE type = 'table' AND name = 'sync_hub'").get();
  return table !== undefined && db.prepare('SELECT 1 FROM sync_hub').get() !== undefined;
}

/**
 * The three triggers `shape` needs, by name, as the exact text SQLite keeps in sqlite_schema.
 * `batched`: the insert and delete triggers log nothing while `capture_batch` names the table.
 * `replica`: none logs anything while `sync_quiet` holds its row (isReplica).
 */
export function captureTriggers(shape: TableShape, batched = false, replica = false): Map<string, string> {
  const t = shape.table;
  const conditions = [
    ...(batched ? [`NOT EXISTS (SELECT 1 FROM ${BATCH_FLAG_TABLE} WHERE tbl = '${t}')`] : []),
    ...(replica ? ['NOT EXISTS (SELECT 1 FROM sync_quiet)'] : []),
  ];
  const unlessBatch = conditions.length ? ` WHEN ${conditions.join(' AND ')}` : '';
  const unlessQuiet = replica ? ' AND NOT EXISTS (SELECT 1 FROM sync_quiet)' : '';
  const changed = [
    ...shape.logged.map((c) => `${valueSql(shape, c, 'OLD.')} IS NOT ${valueSql(shape, c, 'NEW.')}`),
    ...shape.withheld.map((c) => `(${presenceSql(c, 'OLD.')}) IS NOT (${presenceSql(c, 'NEW.')})`),
  ].join(' OR ');
  const keyMoved = shape.key.map((c) => `${ref('OLD.', c)} IS NOT ${ref('NEW.', c)}`).join(' OR ');
  return new Map([
    [
      `${PREFIX}${t}_insert`,
      `CREATE TRIGGER "${PREFIX}${t}_insert" AFTER INSERT ON "${t}"${unlessBatch} BEGIN ${insertChange(t, keySql(shape, 'NEW.'), 'insert', rowSql(shape, 'NEW.'))} END`,
    ],
    [
      // An update that leaves every logged column and every secret's presence as it was logs nothing; one that moves the key logs the old key's delete first.
      `${PREFIX}${t}_update`,
      `CREATE TRIGGER "${PREFIX}${t}_update" AFTER UPDATE ON "${t}" WHEN ${replica ? `(${changed})${unlessQuiet}` : changed} BEGIN ` +
        `INSERT INTO changes (tbl, pk, op, row) SELECT '${t}', ${keySql(shape, 'OLD.')}, 'delete', NULL WHERE ${keyMoved}; ` +
        `${insertChange(t, keySql(shape, 'NEW.'), 'update', rowSql(shape, 'NEW.'))} END`,
    ],
    [
      `${PREFIX}${t}_delete`,
      `CREATE TRIGGER "${PREFIX}${t}_delete" AFTER DELETE ON "${t}"${unlessBatch} BEGIN ${insertChange(t, keySql(shape, 'OLD.'), 'delete', 'NULL')} END`,
    ],
  ]);
}

interface StoredTrigger {
  name: string;
  table: string;
  sql: string;
}

function storedTriggers(db: Db): StoredTrigger[] {
  return db
    .prepare<[], StoredTrigger>(
      `SELECT name, tbl_name AS "table", sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '${PREFIX}%' ESCAPE '\\'`,
    )
    .all()
    .filter((t) => t.name.startsWith(PREFIX));
}

function tableExists(db: Db, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Tables whose capture triggers differ from what their columns call for now (missing, stale, or left on a table no longer replicated). */
export function tablesOutOfStep(db: Db): string[] {
  const stored = storedTriggers(db);
  const replica = isReplica(db);
  const out: string[] = [];
  for (const table of REPLICATED_TABLES) {
    // A table a later migration creates gets its triggers after that migration.
    if (!tableExists(db, table)) continue;
    const wanted = captureTriggers(tableShape(db, table), isBatched(db, table), replica);
    const have = stored.filter((t) => t.table === table);
    if (have.length !== wanted.size || have.some((t) => wanted.get(t.name) !== t.sql)) out.push(table);
  }
  for (const t of stored) if (!(REPLICATED_TABLES as readonly string[]).includes(t.table) && !out.includes(t.table)) out.push(t.table);
  return out;
}

/**
 * Brings every replicated table's capture triggers in step with its columns; call inside a
 * write transaction (runMigrations does, after each migration from 13 on and at every open).
 * A table whose triggers are (re)made has every row logged as an upsert, in key order: rows
 * written before capture existed, or columns a migration just added and filled, reach a
 * replica that way. Deletes made while a table had no triggers cannot be recovered; no
 * path of Steward's drops them. Returns the tables refreshed.
 */
export function refreshCapture(db: Db): string[] {
  const stale = tablesOutOfStep(db);
  if (stale.length === 0) return [];
  const stored = storedTriggers(db);
  const replica = isReplica(db);
  for (const table of stale) {
    const had = stored.filter((t) => t.table === table);
    for (const t of had) db.exec(`DROP TRIGGER "${t.name}"`);
    if (!(REPLICATED_TABLES as readonly string[]).includes(table)) continue;
    const shape = tableShape(db, table as ReplicatedTable);
    for (const sql of captureTriggers(shape, isBatched(db, table as ReplicatedTable), replica).values()) db.exec(sql);
    const op = had.length === 0 ? 'insert' : 'update';
    db.exec(
      `INSERT INTO changes (tbl, pk, op, row) SELECT '${table}', ${keySql(shape, '')}, '${op}', ${rowSql(shape, '')} FROM "${table}" ` +
        `ORDER BY ${shape.key.map((c) => `"${c.name}"`).join(', ')}`,
    );
  }
  return stale;
}
