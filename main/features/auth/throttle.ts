import type { Db } from '../../db/connection';

/** One bucket's rule: a leaky bucket of failures with an exponential lock once it is full. */
interface Limit {
  /** The failure that fills the bucket to this level locks it for `firstLockMs`. */
  lockAt: number;
  firstLockMs: number;
  /** Each failure past `lockAt` doubles the lock, up to this. */
  maxLockMs: number;
  /** One failure is forgiven per this many milliseconds without it being replaced. */
  leakMs: number;
}

const MINUTE = 60_000;

/** Per account and source: what stops one source from guessing. */
export const PER_SOURCE: Limit = { lockAt: 5, firstLockMs: 30_000, maxLockMs: 15 * MINUTE, leakMs: 15 * MINUTE };
/** Per account over all sources: the ceiling that stops distributed guessing. */
export const PER_ACCOUNT: Limit = { lockAt: 30, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE, leakMs: 4 * MINUTE };

/** The desktop window: only the person at the console drives it, so network callers cannot lock it out. */
const CEILING_EXEMPT_SOURCE = 'ipc';

export type ThrottleState = { locked: false } | { locked: true; retryAfterSeconds: number };

interface Row {
  failures: number;
  locked_until: number;
  /** The time the remaining `failures` were counted from; a failure leaks out every `leakMs` after it. */
  updated_at: number;
}

/**
 * Throttling of every secret check (passwords, authenticator codes, recovery codes).
 * `key` names what is guessed at (`throttleKeys`: an account's password or codes, or an
 * unknown login's digest, so unknown and known accounts answer alike); `source` is
 * `ctx.source` (`ip:<address>`, `ipc`, `local`). Each failure counts in two leaky buckets:
 *
 * - **Per key and source.** The 5th failure locks that source out of that key for 30 s,
 *   each further failure doubles the lock up to 15 min. One failure leaks out every 15 min,
 *   so a source that stops failing is whole again after 15 min per failure it holds. A
 *   source that keeps guessing gets about one try per 15 min (4 an hour) once its lock
 *   is at the maximum, after at most 10 failures in its first 15.5 min.
 * - **Per key over all sources (the ceiling).** The 30th failure locks every source
 *   except the desktop window (`ipc`) out of that key for 1 min, doubling up to 15 min.
 *   One failure leaks out every 4 min (15 an hour), so in the long run all sources
 *   together get about 15 tries an hour. One source alone never reaches 30: its own
 *   bucket holds it to 10 quickly and 4 an hour after that.
 *
 * So one source hammering locks only itself: a person at another source is not refused
 * (the ceiling needs 30 failures within minutes, which only many sources reach), and
 * the person at the desktop window is never locked out by network callers. A success
 * empties both buckets of its key. Stored in SQLite, so a restart changes nothing.
 */
export class Throttle {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly clearStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], Row>('SELECT failures, locked_until, updated_at FROM auth_throttle WHERE key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO auth_throttle (key, failures, locked_until, updated_at) VALUES (@key, @failures, @lockedUntil, @since)
       ON CONFLICT (key) DO UPDATE SET failures = @failures, locked_until = @lockedUntil, updated_at = @since`,
    );
    this.deleteStmt = db.prepare('DELETE FROM auth_throttle WHERE key = ?');
    this.clearStmt = db.prepare("DELETE FROM auth_throttle WHERE key = @key OR substr(key, 1, length(@key) + 1) = @key || '|'");
    // Rows whose every failure has leaked out (at the slower rate) and whose lock is over say nothing any more.
    this.pruneStmt = db.prepare('DELETE FROM auth_throttle WHERE locked_until <= @now AND updated_at + failures * @leakMs <= @now');
  }

  /** Whether `source` may try `key` now; when not, how many whole seconds until it may. */
  check(key: string, source: string, now: number): ThrottleState {
    const until = Math.max(
      this.getStmt.get(sourceKey(key, source))?.locked_until ?? 0,
      source === CEILING_EXEMPT_SOURCE ? 0 : (this.getStmt.get(key)?.locked_until ?? 0),
    );
    return lockState(until, now);
  }

  /** Records one failure in both buckets; returns the lock it left on `source`, if any. */
  fail(key: string, source: string, now: number): ThrottleState {
    this.pruneStmt.run({ now, leakMs: Math.max(PER_SOURCE.leakMs, PER_ACCOUNT.leakMs) });
    const own = this.count(sourceKey(key, source), PER_SOURCE, now);
    const ceiling = this.count(key, PER_ACCOUNT, now);
    return lockState(Math.max(own, source === CEILING_EXEMPT_SOURCE ? 0 : ceiling), now);
  }

  /** A success: the secret was known, so neither bucket of `key` holds anything against it. */
  reset(key: string, source: string): void {
    this.deleteStmt.run(sourceKey(key, source));
    this.deleteStmt.run(key);
  }

  /** Forgets every bucket of `key`, every source's too (an administrator replaced the secret). */
  clear(key: string): void {
    this.clearStmt.run({ key });
  }

  private count(bucket: string, limit: Limit, now: number): number {
    const row = this.getStmt.get(bucket);
    const leaked = row ? Math.max(0, Math.floor((now - row.updated_at) / limit.leakMs)) : 0;
    const held = row ? Math.max(0, row.failures - leaked) : 0;
    const since = row && held > 0 ? row.updated_at + leaked * limit.leakMs : now;
    const failures = held + 1;
    const over = failures - limit.lockAt;
    const lockMs = over < 0 ? 0 : Math.min(limit.firstLockMs * 2 ** over, limit.maxLockMs);
    const lockedUntil = Math.max(row?.locked_until ?? 0, now + lockMs);
    this.upsertStmt.run({ key: bucket, failures, lockedUntil, since });
    return lockedUntil;
  }
}

function sourceKey(key: string, source: string): string {
  return `${key}|${source}`;
}

function lockState(until: number, now: number): ThrottleState {
  return until > now ? { locked: true, retryAfterSeconds: Math.ceil((until - now) / 1000) } : { locked: false };
}

export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${minutes} minutes`;
  return `Too many failed attempts. Try again in ${wait}.`;
}
