import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, Checkpointer } from '../../main/db/checkpointer';
import { openDatabase, type Db } from '../../main/db/connection';
import { readWorkerScript } from '../helpers/read-worker';
import { tempDir } from '../helpers/temp-steward';

/**
 * Issue 17: the WAL is checkpointed by a thread of its own (real worker thread, real SQLite
 * file), so the writer's commits on the main thread never copy the WAL back themselves; the
 * writer's automatic checkpoint stays as a backstop, and is SQLite's default again when the
 * thread is gone.
 */
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

const PAGE = 4096;

async function writer(intervalMs = 10): Promise<{ db: Db; file: string; checkpointer: Checkpointer }> {
  const temp = tempDir();
  cleanups.push(() => temp.remove());
  const file = join(temp.dir, 'steward.db');
  const db = openDatabase(file);
  cleanups.push(() => {
    if (db.open) db.close();
  });
  db.exec('CREATE TABLE filler (x BLOB NOT NULL)');
  const checkpointer = new Checkpointer(db, { file, script: readWorkerScript(), intervalMs });
  cleanups.push(() => checkpointer.close());
  for (let i = 0; i < 200 && !checkpointer.active(); i++) await sleep(10);
  expect(checkpointer.active()).toBe(true);
  return { db, file, checkpointer };
}

/** Commits `pages` pages of new rows, a page per transaction, as a job's chunks commit. */
function commitPages(db: Db, pages: number): void {
  const insert = db.prepare('INSERT INTO filler (x) VALUES (randomblob(?))');
  for (let i = 0; i < pages; i++) db.transaction(() => insert.run(PAGE - 200))();
}

describe('the WAL checkpoint thread (issue 17: no checkpoint on the main thread)', () => {
  it('keeps the WAL small while the writer commits, with the writer’s own checkpoint raised to the backstop', async () => {
    const { db, file } = await writer();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    // 3,000 pages in 30 bursts: without the thread, nothing would checkpoint below the backstop's 10,000 pages.
    for (let burst = 0; burst < 30; burst++) {
      commitPages(db, 100);
      await sleep(40);
    }
    const walPages = statSync(`${file}-wal`).size / PAGE;
    expect(walPages).toBeLessThan(1_000);
    expect(db.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 3_000 });
  }, 30_000);

  it('gives the writer SQLite’s own automatic checkpoint back when the thread ends', async () => {
    const { db, checkpointer } = await writer();
    await checkpointer.close();
    expect(checkpointer.active()).toBe(false);
    // Asked for a checkpoint with no thread, it answers at once.
    await checkpointer.now();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
  });
});
