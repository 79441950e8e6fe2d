import { closeSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './security/private-files';

/** The lock file's name inside a data folder. */
export const LOCK_FILE = 'steward.lock';

/** What a lock file says about the process holding the folder. */
export interface LockHolder {
  pid: number;
  /** What that process is: "web console", "desktop", "hub", "demo". */
  what: string;
  host: string;
  /** ISO 8601. */
  since: string;
}

/** A second start on a folder in use: the message names the holder and what to do. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
    super(
      `The data folder ${dataDir} is in use by Steward's ${holder.what} (pid ${holder.pid}${where}, since ${holder.since}). ` +
        'Stop that one first, or open another folder with --data.',
    );
    this.name = 'DataFolderInUseError';
  }
}

/** The lock files this process holds: its own pid in any other lock file is an earlier process's. */
const heldHere = new Set<string>();

export interface DataFolderLock {
  /** Removes the lock file if it is still this process's; idempotent. */
  release(): void;
}

/**
 * One console per data folder (issue 16): creates `<dir>/steward.lock` (0600) atomically,
 * holding this process's pid and `what`. A lock whose pid is dead on this host (a process
 * that was killed), or is this process's own pid (left by an earlier process that had it), is
 * taken over; a live one throws DataFolderInUseError naming it. A lock
 * from another host is never taken over: its pid cannot be checked from here.
 * The lock is released by `release()` and, failing that, when the process exits normally.
 *
 * @param dir the data folder (created 0700 if missing)
 * @param what how the holder is named to a second start: "web console", "desktop window", "hub"
 * @throws DataFolderInUseError when a live process holds the folder
 */
export function lockDataFolder(dir: string, what = 'console'): DataFolderLock {
  ensurePrivateDir(dir);
  // One spelling per folder, so that this process knows its own locks however the folder was named.
  const file = join(realpathSync(dir), LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, what, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, mine)) break;
    const holder = readHolder(file);
    // Our own pid in a lock this process does not hold is an earlier process's (a restarted container gives the same pid): stale.
    const live = holder?.pid === process.pid ? heldHere.has(file) : holder !== null && isAlive(holder.pid);
    if (holder && (holder.host !== mine.host || live)) throw new DataFolderInUseError(dir, holder);
    // Dead (or unreadable: a crash between create and write) — take it over, once; a second
    // failure means another process took it over at the same moment and now holds it.
    if (attempt > 0) throw new DataFolderInUseError(dir, holder ?? { ...mine, pid: 0, what: 'another process' });
    removeQuietly(file);
  }
  heldHere.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.off('exit', release);
    if (readHolder(file)?.pid === process.pid) removeQuietly(file);
  };
  process.on('exit', release);
  return { release };
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return {
      pid: parsed.pid,
      what: typeof parsed.what === 'string' ? parsed.what : 'process',
      host: typeof parsed.host === 'string' ? parsed.host : hostname(),
      since: typeof parsed.since === 'string' ? parsed.since : 'an unknown time',
    };
  } catch {
    return null;
  }
}

/** Signal 0 checks existence only; EPERM means it exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
