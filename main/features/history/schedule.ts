import type { Db } from '../../db/connection';
import type { Clock } from '../../dispatch/context';
import { log } from '../../log';
import { historyPruneDue } from './retention';
import { snapshotDue } from './snapshot';

/** How often the schedule looks whether a new UTC day has begun while Steward stays open. */
const EVERY_MS = 3_600_000;

/**
 * The status history's own work (R32): when Steward opens and every hour, the day's snapshot
 * (`history.snapshot`) if the day has none yet, then retention (`history.prune`) if anything
 * is past the setting; retention again after the setting changes. Each is a system command
 * dispatched through `run`, so its clock is the command context's: tests move a manual clock
 * and call `runDue()`.
 */
export class HistorySchedule {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly run: (name: 'history.snapshot' | 'history.prune') => { ok: boolean },
  ) {}

  start(): void {
    this.runDue();
    this.timer = setInterval(() => this.runDue(), EVERY_MS);
    this.timer.unref();
  }

  /**
   * On the first run of a UTC day: the day's snapshot, then retention if due. Retention is
   * looked at once a day (and after the setting changes), not hourly: its check reads history.
   */
  runDue(): void {
    if (!snapshotDue(this.db, this.clock.now())) return;
    if (!this.run('history.snapshot').ok) log.error('the daily status snapshot failed; it is tried again within the hour');
    this.pruneNow();
  }

  pruneNow(): void {
    if (historyPruneDue(this.db, this.clock.now()) && !this.run('history.prune').ok)
      log.error('status history retention failed; it is tried again within the hour');
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
