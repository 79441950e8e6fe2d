import type { Db } from '../db/connection';
import { REDACTED_COLUMNS, SECRET_COLUMNS, type ReplicatedTable } from './replicated';

export interface Column {
  name: string;
  /** The declared type, upper case (STRICT tables: INTEGER, TEXT, BLOB, REAL, ANY). */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

/** A replicated table as this database has it now, read from PRAGMA table_info. */
export interface TableShape {
  table: ReplicatedTable;
  /** Primary key columns in key order. */
  key: readonly Column[];
  /** Every column that enters the log (secret columns left out), key columns included, in table order. */
  logged: readonly Column[];
  /** Secret columns, which a replica fills itself. */
  withheld: readonly Column[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `table`'s columns and splits them into key, logged and withheld ones.
 * Throws when the table is missing or has no primary key (a change must name its row),
 * or a name is not a plain identifier (names are spliced into generated SQL).
 */
export function tableShape(db: Db, table: ReplicatedTable): TableShape {
  const info = db
    .prepare<[string], { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>(
      'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)',
    )
    .all(table);
  if (info.length === 0) throw new Error(`change capture: no table ${table}`);
  const secret = new Set(SECRET_COLUMNS[table] ?? []);
  for (const c of [table, ...info.map((i) => i.name)])
    if (!IDENTIFIER.test(c)) throw new Error(`change capture: ${table}.${c} is not a plain identifier`);
  const columns = info.map((c) => ({
    name: c.name,
    type: c.type.toUpperCase(),
    notNull: c.notnull === 1,
    hasDefault: c.dflt_value !== null,
    pk: c.pk,
  }));
  const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (key.length === 0) throw new Error(`change capture: ${table} has no primary key`);
  if (key.some((c) => secret.has(c.name))) throw new Error(`change capture: a key column of ${table} is listed as secret`);
  const plain = (c: (typeof columns)[number]): Column => ({ name: c.name, type: c.type, notNull: c.notNull, hasDefault: c.hasDefault });
  return {
    table,
    key: key.map(plain),
    logged: columns.filter((c) => !secret.has(c.name)).map(plain),
    withheld: columns.filter((c) => secret.has(c.name)).map(plain),
  };
}

/** The redaction expression for a logged column, if it has one, over `prefix` (`NEW.`, `OLD.` or ``). */
export function redaction(table: ReplicatedTable, column: string, prefix: string): string | undefined {
  return REDACTED_COLUMNS[table]?.[column]?.replaceAll('{row}', prefix);
}
