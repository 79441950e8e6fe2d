import type { Db } from '../../main/db/connection';

/** One row of sqlite_stat1: table, index (null for the table's row count), and SQLite's stat text. */
export type StatRow = [table: string, index: string | null, stat: string];

/**
 * Makes SQLite plan as if the tables were as `rows` describe (sqlite_stat1, sqlite_stat4
 * emptied): for plan tests that stand for a million rows on a small real database.
 */
export function pretendStatistics(db: Db, rows: readonly StatRow[]): void {
  db.exec('ANALYZE sqlite_schema');
  db.prepare('DELETE FROM sqlite_stat1').run();
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'").get()) db.prepare('DELETE FROM sqlite_stat4').run();
  const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
  for (const row of rows) insert.run(...row);
  // Loads the rows just written into the connection's schema: the next statements are planned with them.
  db.exec('ANALYZE sqlite_schema');
}
