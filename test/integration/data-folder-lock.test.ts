import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolderInUseError, LOCK_FILE, lockDataFolder } from '../../main/data-lock';
import { tempDir } from '../helpers/temp-steward';
import { bundleForNode, runWebProcess } from '../helpers/web-process';

/** Issue 16: one console per data folder, checked with real processes on one real folder. */
let bundle: Awaited<ReturnType<typeof bundleForNode>>;

beforeAll(async () => {
  bundle = await bundleForNode('main/web.ts');
}, 60_000);
afterAll(() => bundle.remove());

const web = (dataDir: string) => runWebProcess(process.execPath, [bundle.file, '--port', '0', '--data', dataDir]);

describe('data folder lock', () => {
  it('a second web console on the same folder is refused, naming the first one by pid; another folder is fine', async () => {
    const folder = tempDir();
    const other = tempDir();
    const first = web(folder.dir);
    try {
      await first.ready;
      const lockFile = join(folder.dir, LOCK_FILE);
      expect(statSync(lockFile).mode & 0o777).toBe(0o600);

      const second = await web(folder.dir).exited;
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is in use by Steward's web console (pid ${String(first.child.pid)}`);
      expect(second.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace

      const elsewhere = web(other.dir);
      await elsewhere.ready;
      elsewhere.child.kill('SIGTERM');
      await elsewhere.exited;

      // The first still holds the folder after the refused attempt, and lets go when stopped.
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid, what: 'web console' });
      first.child.kill('SIGTERM');
      await first.exited;
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      first.child.kill('SIGKILL');
      folder.remove();
      other.remove();
    }
  });

  it("a killed console's lock is stale: the next start takes the folder over", async () => {
    const folder = tempDir();
    const first = web(folder.dir);
    try {
      await first.ready;
      first.child.kill('SIGKILL'); // no clean-up runs: the lock file stays behind
      await first.exited;
      const lockFile = join(folder.dir, LOCK_FILE);
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid });

      const next = web(folder.dir);
      await next.ready;
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: next.child.pid });
      next.child.kill('SIGTERM');
      await next.exited;
    } finally {
      first.child.kill('SIGKILL');
      folder.remove();
    }
  });
});

describe('lockDataFolder in one process', () => {
  it('a held folder refuses a second lock; released, it can be taken again; release removes only its own file', () => {
    const folder = tempDir();
    try {
      const first = lockDataFolder(folder.dir, 'hub');
      expect(() => lockDataFolder(folder.dir)).toThrow(DataFolderInUseError);
      expect(() => lockDataFolder(folder.dir)).toThrow(`in use by Steward's hub (pid ${process.pid}`);
      first.release();
      expect(existsSync(join(folder.dir, LOCK_FILE))).toBe(false);
      const second = lockDataFolder(folder.dir);
      first.release(); // a stale handle does not remove someone else's lock
      expect(existsSync(join(folder.dir, LOCK_FILE))).toBe(true);
      second.release();
    } finally {
      folder.remove();
    }
  });

  it('an unreadable lock file (a crash while writing it) is taken over; a lock from another host is not', () => {
    const folder = tempDir();
    try {
      const file = join(folder.dir, LOCK_FILE);
      writeFileSync(file, '{"pid":');
      lockDataFolder(folder.dir).release();
      writeFileSync(file, JSON.stringify({ pid: 1, what: 'web console', host: 'another-machine', since: '2026-01-01T00:00:00Z' }));
      expect(() => lockDataFolder(folder.dir)).toThrow("in use by Steward's web console (pid 1 on another-machine");
    } finally {
      folder.remove();
    }
  });
});
