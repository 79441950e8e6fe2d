import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Clock } from '../../dispatch/context';
import { CommandLog } from '../../dispatch/command-log';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { log } from '../../log';
import { readSetting } from '../settings/settings';
import { AuditLog } from './audit-log';

const DAY_MS = 86_400_000;
/** How often retention looks for events past the setting while Steward stays open. */
const EVERY_MS = 3_600_000;

/**
 * audit.prune: removes events older than the retention setting, anchoring each chain at the
 * last one removed (audit.verify stays intact), and empties their envelopes in the command log. A system command, so the pruning is itself
 * an event, written after the cut with what was removed.
 */
export function auditPruneHandler(): RegisteredHandler {
  return handler('audit.prune', {
    access: { kind: 'system' },
    run(ctx) {
      const days = readSetting(ctx.db, 'audit.retentionDays');
      if (days === null) return { removed: 0, retentionDays: null };
      const now = ctx.clock.now();
      const removed = new AuditLog(ctx.db).prune(now - days * DAY_MS, now);
      // The envelopes of removed events hold the same facts (names, emails): they go with them.
      const emptied = new CommandLog(ctx.db).forgetPruned();
      ctx.audit({ after: { removed, envelopesEmptied: emptied, retentionDays: days } });
      return { removed, retentionDays: days };
    },
  });
}

/** Whether any event is older than the setting: the schedule dispatches audit.prune only then, so an idle trail gains no events. */
export function retentionDue(db: Db, now: number): boolean {
  const days = readSetting(db, 'audit.retentionDays');
  if (days === null) return false;
  return !!stmt<[number], { one: number }>(db, 'SELECT 1 AS one FROM audit_events WHERE at < ? LIMIT 1').get(now - days * DAY_MS);
}

/**
 * Runs retention when Steward opens, every hour while it stays open, and when asked (after
 * the setting changes). Each run is the system command audit.prune, as "retention".
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly prune: () => { ok: boolean },
  ) {}

  start(): void {
    this.runNow();
    this.timer = setInterval(() => this.runNow(), EVERY_MS);
    this.timer.unref();
  }

  runNow(): void {
    if (!retentionDue(this.db, this.clock.now())) return;
    if (!this.prune().ok) log.error('audit retention failed; the events stay until the next run');
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
