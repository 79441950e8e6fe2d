import type { Db } from '../../db/connection';

const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export type ThrottleState = { locked: false } | { locked: true; retryAfterSeconds: number };

/**
 * Failed passwords and codes, per account (or per unknown login, so that unknown
 * and known accounts answer alike). Stored in SQLite: a restart does not reset it.
 */
export class Throttle {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { failures: number; locked_until: number }>(
      'SELECT failures, locked_until FROM auth_throttle WHERE key = ?',
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO auth_throttle (key, failures, locked_until, updated_at) VALUES (@key, @failures, @lockedUntil, @now)
       ON CONFLICT (key) DO UPDATE SET failures = @failures, locked_until = @lockedUntil, updated_at = @now`,
    );
    this.deleteStmt = db.prepare('DELETE FROM auth_throttle WHERE key = ?');
  }

  check(key: string, now: number): ThrottleState {
    const row = this.getStmt.get(key);
    if (!row || row.locked_until <= now) return { locked: false };
    return { locked: true, retryAfterSeconds: Math.ceil((row.locked_until - now) / 1000) };
  }

  /** Records a failure; returns the lock it caused, if any. */
  fail(key: string, now: number): ThrottleState {
    const failures = (this.getStmt.get(key)?.failures ?? 0) + 1;
    const over = failures - FREE_FAILURES;
    const lockMs = over < 0 ? 0 : Math.min(FIRST_LOCK_MS * 2 ** over, MAX_LOCK_MS);
    this.upsertStmt.run({ key, failures, lockedUntil: now + lockMs, now });
    return lockMs > 0 ? { locked: true, retryAfterSeconds: Math.ceil(lockMs / 1000) } : { locked: false };
  }

  reset(key: string): void {
    this.deleteStmt.run(key);
  }
}

export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${minutes} minutes`;
  return `Too many failed attempts. Try again in ${wait}.`;
}
