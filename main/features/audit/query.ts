import type { AuditEntry, AuditFilter } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import type { Need } from '../../dispatch/registry';
import { scopeCondition } from '../access/access';

/** Keys the audit reads filter by (audit.view for the view, audit.export for the export), for the catalog-coverage test. */
export const AUDIT_READ_KEYS = ['audit.view', 'audit.export'] as const;

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
  group_name: string | null;
  outcome: AuditEntry['outcome'];
  error_code: string | null;
  before: string | null;
  after: string | null;
}

/**
 * What the audit view's filter names, for the operations' rules: a member to follow must
 * be one the reader may see (users.view), a group to narrow to one where the reader holds
 * audit.view. Each only when the filter uses it.
 */
export function auditFilterNeeds(filter: Pick<AuditFilter, 'memberId' | 'groupId'>): Need[] {
  return [
    ...(filter.memberId ? [{ permission: 'users.view', on: { type: 'user', id: filter.memberId, field: 'memberId' } } as const] : []),
    ...(filter.groupId ? [{ permission: 'audit.view', on: { type: 'group', id: filter.groupId, field: 'groupId' } } as const] : []),
  ];
}

/**
 * The one filter behind the audit view, its count and its export, so that an export is
 * exactly what the view shows. Scope: audit.view at the event's group (seed 002: logs are
 * filtered by the user's scope); events without a group are read only by those who hold
 * audit.view at the root.
 */
export function auditWhere(db: Db, readerId: string, filter: AuditFilter) {
  const scope = scopeCondition(db, readerId, 'audit.view', { group: 'e.group_id', kind: 'g.kind' });
  // Only the filters in use become clauses (fixed text, values always bound), so SQLite can use its indexes.
  const clauses: string[] = [scope.sql];
  const params: Record<string, string | number> = { ...scope.params };
  if (filter.actorId) {
    clauses.push('e.actor_id = @actorId');
    params.actorId = filter.actorId;
  }
  if (filter.memberId) {
    clauses.push('(e.actor_id = @memberId OR e.target_id = @memberId)');
    params.memberId = filter.memberId;
  }
  if (filter.action) {
    clauses.push(filter.action.endsWith('.') ? 'e.action >= @action AND e.action < @actionEnd' : 'e.action = @action');
    params.action = filter.action;
    params.actionEnd = `${filter.action.slice(0, -1)}/`;
  }
  if (filter.target) {
    clauses.push("e.target_name LIKE @targetLike ESCAPE '\\'");
    params.targetLike = `%${filter.target.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (filter.groupId) {
    clauses.push('e.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId)');
    params.groupId = filter.groupId;
  }
  if (filter.from !== undefined) {
    clauses.push('e.at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    clauses.push('e.at <= @to');
    params.to = filter.to;
  }
  if (filter.outcome) {
    clauses.push('e.outcome = @outcome');
    params.outcome = filter.outcome;
  }
  const sql = clauses.join(' AND ');
  return { sql, params, from: 'FROM audit_events e JOIN groups g ON g.id = e.group_id' };
}

export function readEvents(db: Db, where: ReturnType<typeof auditWhere>, beforeSeq: number, limit: number): AuditEntry[] {
  return stmt<Record<string, string | number>, Row>(
    db,
    `SELECT e.*, g.name AS group_name ${where.from} WHERE ${where.sql}${beforeSeq > 0 ? ' AND e.seq < @beforeSeq' : ''} ORDER BY e.seq DESC LIMIT @limit`,
  )
    .all({ ...where.params, ...(beforeSeq > 0 ? { beforeSeq } : {}), limit })
    .map(toEntry);
}

export function countEvents(db: Db, where: ReturnType<typeof auditWhere>, cap: number): number {
  return (
    stmt<Record<string, string | number>, { n: number }>(
      db,
      `SELECT count(*) AS n FROM (SELECT 1 ${where.from} WHERE ${where.sql} LIMIT @cap)`,
    ).get({ ...where.params, cap })?.n ?? 0
  );
}

function toEntry(r: Row): AuditEntry {
  return {
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
    groupName: r.group_name,
    outcome: r.outcome,
    errorCode: r.error_code,
    before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
    after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null,
  };
}
