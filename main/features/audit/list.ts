import type { AuditEntry } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { requirePermission, scopeCondition } from '../access/access';
import { requireActor } from '../auth/deps';

interface Row {
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  client: AuditEntry['client'];
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  group_id: string | null;
  outcome: AuditEntry['outcome'];
  error_code: string | null;
  before: string | null;
  after: string | null;
}

/**
 * Events the caller may read: audit.view at the event's group (seed 002: logs are
 * filtered by scope). A member's activity (seed 000) is what they did and what was done
 * to their account.
 */
export const auditListHandler = (db: Db) =>
  handler('audit.list', {
    access: { kind: 'self' },
    run(ctx, input) {
      const actor = requireActor(ctx);
      if (input.memberId) requirePermission(db, actor.userId, 'users.view', 'user', input.memberId);
      const scope = scopeCondition(db, actor.userId, 'audit.view', { group: 'e.group_id', kind: 'g.kind' });
      const where = `${scope.sql}
        AND (@actorId = '' OR e.actor_id = @actorId)
        AND (@memberId = '' OR e.actor_id = @memberId OR (e.target_type = 'user' AND e.target_id = @memberId))
        AND (@beforeSeq = 0 OR e.seq < @beforeSeq)`;
      const params = { ...scope.params, actorId: input.actorId ?? '', memberId: input.memberId ?? '', beforeSeq: input.beforeSeq ?? 0 };
      const from = 'FROM audit_events e JOIN groups g ON g.id = e.group_id';
      const total =
        stmt<Record<string, string | number>, { n: number }>(db, `SELECT count(*) AS n ${from} WHERE ${where}`).get(params)?.n ?? 0;
      const rows = stmt<Record<string, string | number>, Row>(db, `SELECT e.* ${from} WHERE ${where} ORDER BY e.seq DESC LIMIT @limit`).all(
        {
          ...params,
          limit: input.limit ?? 50,
        },
      );
      return {
        total,
        events: rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          client: r.client,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          targetName: r.target_name,
          groupId: r.group_id,
          outcome: r.outcome,
          errorCode: r.error_code,
          before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
          after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null,
        })),
      };
    },
  });
