import type { Db } from '../../db/connection';
import type { Clock } from '../../dispatch/context';
import { readSetting } from '../settings/settings';
import { AuditLog } from './audit-log';

/**
 * Applies the retention setting: prunes events older than it, and records the pruning
 * itself as an event. Runs when Steward opens and when the setting changes.
 */
export function applyAuditRetention(db: Db, clock: Clock, actor: { userId: string; username: string } | null = null): number {
  const days = readSetting(db, 'audit.retentionDays');
  if (days === null) return 0;
  const log = new AuditLog(db);
  return db
    .transaction(() => {
      const now = clock.now();
      const removed = log.prune(now - days * 86_400_000, now);
      if (removed > 0) {
        log.append({ at: now, actor, client: 'cli', action: 'audit.prune', outcome: 'success', after: { removed, retentionDays: days } });
      }
      return removed;
    })
    .immediate();
}
