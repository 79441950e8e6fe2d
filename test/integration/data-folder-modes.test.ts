import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, OWNER, setUpOwner, tempDir, tempSteward } from '../helpers/temp-steward';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** Every entry under `dir` (itself included) with its permission bits. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (statSync(dir).mode & 0o777).toString(8) };
  const walk = (path: string, prefix: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      const name = `${prefix}${entry.name}`;
      out[name] = (statSync(full).mode & 0o777).toString(8);
      if (entry.isDirectory()) walk(full, `${name}/`);
    }
  };
  walk(dir, '');
  return out;
}

describe.skipIf(process.platform === 'win32')('the data folder', () => {
  it('holds only 0600 files and 0700 folders, even when it already existed at 0755 under umask 022', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const dataDir = join(temp.dir, 'data');
    mkdirSync(dataDir);
    mkdirSync(join(dataDir, 'keys'));
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'keys'), 0o755);
    const previous = process.umask(0o022);
    cleanups.push(() => process.umask(previous));
    const clock = manualClock();
    const steward = tempSteward({ dir: dataDir, clock });
    cleanups.push(() => steward.close());
    await setUpOwner(steward, clock);
    expect((await steward.call('auth.signIn', { login: 'owner', password: OWNER.password })).result.ok).toBe(true);
    await steward.call('auth.signIn', { login: 'owner', password: 'not the password at all' });
    const found = modes(dataDir);
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(['steward.db', 'steward.db-wal', 'steward.db-shm', 'keys', 'keys/secret.key']),
    );
    for (const [name, mode] of Object.entries(found)) {
      const isDir = statSync(join(dataDir, name)).isDirectory();
      expect({ name, mode }).toEqual({ name, mode: isDir ? '700' : '600' });
    }
  });

  it('tightens files an earlier run left readable by others', () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const first = tempSteward({ dir: temp.dir });
    first.close();
    for (const name of ['steward.db', 'keys/secret.key']) chmodSync(join(temp.dir, name), 0o644);
    chmodSync(join(temp.dir, 'keys'), 0o755);
    const second = tempSteward({ dir: temp.dir });
    cleanups.push(() => second.close());
    for (const [name, mode] of Object.entries(modes(temp.dir))) {
      const isDir = statSync(join(temp.dir, name)).isDirectory();
      expect({ name, mode }).toEqual({ name, mode: isDir ? '700' : '600' });
    }
  });
});
