import { randomUUID } from 'node:crypto';
import { registerNameKey } from '../../main/db/name-keys';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../main/app';
import { keySql } from '../../main/sync/capture';
import { REPLICATED_TABLES } from '../../main/sync/replicated';
import { tableShape } from '../../main/sync/shape';
import { computeVisible } from '../../main/sync/visibility';
import { replicatedRows } from './replica';

/** Every replicated row of the database in `dataDir` (a copy of the file, so a running process is not disturbed), as replicatedRows gives them. */
export function rowsOf(dataDir: string, scratch: string, onlyVisibleTo?: string): Record<string, string[]> {
  const file = join(scratch, `copy-${randomUUID()}.db`);
  const source = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  // VACUUM INTO rebuilds the name indexes (migration 20), which compute name_key.
  registerNameKey(source);
  // A consistent snapshot of a live database: the backup API copies committed pages only.
  source.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
  source.close();
  const db = new Database(file);
  // Deleting rows of groups, roles and users computes their name indexes (migration 20).
  registerNameKey(db);
  try {
    if (onlyVisibleTo) {
      db.pragma('foreign_keys = OFF');
      db.transaction(() => {
        computeVisible(db, onlyVisibleTo);
        for (const table of REPLICATED_TABLES) {
          const shape = tableShape(db, table);
          db.prepare(`DELETE FROM "${table}" WHERE ${keySql(shape, '')} NOT IN (SELECT pk FROM temp.sync_visible WHERE tbl = ?)`).run(
            table,
          );
        }
      })();
    }
    return replicatedRows(db);
  } finally {
    db.close();
  }
}

/** Whether a file exists yet (a data folder a process is still creating). */
export function hasDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, DATABASE_FILE));
}
