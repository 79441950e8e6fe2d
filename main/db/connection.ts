import Database from 'better-sqlite3';
import { ensurePrivateFile, tightenExisting } from '../security/private-files';
import type { SecretBox } from '../security/secret-box';
import { runMigrations } from './migrations';
import { refreshNameKeys, registerNameKey } from './name-keys';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron ships its own). */
  nativeBinding?: string;
  /** The data folder's key, for migrations that hash with it (009). */
  secrets?: SecretBox;
}

/** The storage settings docs/architecture.md names; checked after every open, not assumed. */
const REQUIRED_PRAGMAS: ReadonlyArray<[name: string, set: string, expect: string | number]> = [
  ['journal_mode', 'WAL', 'wal'],
  ['synchronous', 'FULL', 2],
  ['foreign_keys', 'ON', 1],
];

/**
 * Pages each connection keeps in memory, in KiB (PRAGMA cache_size takes it negated). The
 * dashboard's per-customer range reads at 1,000,000 devices touch about 30 MiB of aggregate
 * pages; with the default 16 MiB they evicted each other and were read from the OS again on
 * every call (47 ms instead of 26). A cache only grows as pages are read, so a small data
 * folder costs no more.
 */
export const PAGE_CACHE_KIB = 32 * 1024;

/**
 * Bytes of the database file each connection reads through a memory map (PRAGMA mmap_size,
 * https://sqlite.org/mmap.html) instead of a read() call and a copy per page. At 1,000,000
 * devices a bulk job reads 100,000 device rows scattered over a 1.7 GB file: each missed the
 * page cache and cost a system call (8 µs a row, 3 µs mapped). The OS keeps one copy of the
 * file's pages for every connection and thread. SQLite caps it at its compile-time limit
 * (2 GiB here); writes still go through the WAL as before.
 */
export const MMAP_BYTES = 2 ** 31;

/**
 * Opens (creating if missing) the database at `file`, 0600 with its `-wal` and `-shm`
 * (docs/architecture.md (storage)), with the required pragmas checked and migrations run.
 * Throws `DatabaseTooNewError` for a newer schema, or when a pragma does not take.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  ensurePrivateFile(file);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    for (const [name, value] of REQUIRED_PRAGMAS) db.pragma(`${name} = ${value}`);
    // SQLite creates these with the database file's mode, but ones an earlier run left keep theirs.
    tightenExisting([`${file}-wal`, `${file}-shm`, `${file}-journal`]);
    db.pragma('busy_timeout = 5000');
    // Statement journals (and sorts) in memory: a table with triggers (change capture) makes every
    // INSERT keep one, and as temp files they cost more than the insert itself on indexed tables.
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    assertPragmas(db);
    registerNameKey(db);
    runMigrations(db, options.secrets ? { secrets: options.secrets } : {});
    refreshNameKeys(db);
    // Statistics for every table that lacks them or has changed much since (an index a migration just made included).
    refreshStatistics(db, 'open');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Brings the query planner's statistics up to date where SQLite judges them stale (PRAGMA
 * optimize, which bounds its own ANALYZE to a sample, so it stays quick at a million rows):
 * - `open`: every table is checked (also those no query used yet on this connection); run
 *   once per open, after migrations, so a new index or a table grown tenfold since the last
 *   run is analyzed before the first query.
 * - `writes`: after a large write (an import, a bulk job's last chunk): the tables this
 *   connection used. Statistics are SQLite's own (sqlite_stat1, sqlite_stat4), not
 *   Steward's state: they are not replicated and no command records them. Plans that
 *   matter at scale do not depend on them (main/features/devices/list.ts pins its shapes);
 *   they keep SQLite's other choices sound as the data grows. docs/scale.md.
 */
export function refreshStatistics(db: Db, moment: 'open' | 'writes'): void {
  db.pragma(moment === 'open' ? 'optimize = 0x10002' : 'optimize');
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

/**
 * Runs `fn` with commits that do not wait for the disk (synchronous=NORMAL, in WAL mode):
 * a process crash still loses nothing committed; a power cut can lose only the last such
 * commits, whole. For writes whose loss is harmless next to their cost: bulk-job chunks
 * (they resume from their cursor) and the audit events of refused calls (they changed
 * nothing). Every other transaction keeps synchronous=FULL.
 */
export function withRelaxedSync<T>(db: Db, fn: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * A read-only connection to a database another connection of this process opened with
 * `openDatabase` (and so migrated): for the read pool's workers (docs/architecture.md, "The
 * read pool"). WAL lets it read while the writer writes; `name_key` is registered because
 * queries compare names through it. Throws when the file cannot be opened or is not in WAL.
 */
export function openReadConnection(file: string, options: { nativeBinding?: string } = {}): Db {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma('query_only = ON');
    db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    const mode = db.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') throw new Error(`A read connection needs the database in WAL mode; it is in ${String(mode)}`);
    registerNameKey(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
