import Database from 'better-sqlite3';
import { runMigrations } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron ships its own). */
  nativeBinding?: string;
}

/** Settings DESIGN.md section 5 requires; checked after every open, not assumed. */
const REQUIRED_PRAGMAS: ReadonlyArray<[name: string, set: string, expect: string | number]> = [
  ['journal_mode', 'WAL', 'wal'],
  ['synchronous', 'FULL', 2],
  ['foreign_keys', 'ON', 1],
];

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    for (const [name, value] of REQUIRED_PRAGMAS) db.pragma(`${name} = ${value}`);
    db.pragma('busy_timeout = 5000');
    assertPragmas(db);
    runMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function readPragmas(db: Db): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name] of REQUIRED_PRAGMAS) out[name] = db.pragma(name, { simple: true }) as string | number;
  return out;
}

function assertPragmas(db: Db): void {
  const actual = readPragmas(db);
  for (const [name, , expect] of REQUIRED_PRAGMAS) {
    if (actual[name] !== expect) {
      throw new Error(`SQLite refused PRAGMA ${name}: wanted ${String(expect)}, got ${String(actual[name])}`);
    }
  }
}
