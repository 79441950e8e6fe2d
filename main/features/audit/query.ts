import type { AuditEntry, AuditFilter } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { requirePermission, scopeCondition } from '../access/access';

/** Keys the audit reads filter by (audit.view for the view, audit.export for the export), for the catalog-coverage test. */
export const AUDIT_READ_KEYS = ['audit.view', 'audit.export', 'users.view'] as const;

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
 * The groups whose events `readerId` may read with `permission`, as a condition on
 * `e.group_id`: the groups in the reader's scope, and the removed groups whose nearest
 * surviving ancestor is in it (migration 010 explains why events are re-filed there). One
 * IN-set, computed once per query, so SQLite can still drive the audit indexes by group.
 * Parameters are named with `prefix` and must be passed as returned.
 */
export function auditScope(db: Db, readerId: string, permission: string, prefix = 'scope') {
  const live = scopeCondition(db, readerId, permission, { group: 'sg.id', kind: 'sg.kind' }, prefix);
  const removed = scopeCondition(db, readerId, permission, { group: 'rg.surviving_id', kind: 'coalesce(rg.kind, sk.kind)' }, prefix);
  const everyGroup = live.everyGroup && removed.everyGroup;
  return {
    // Held everywhere, the same set is tested row by row: the IN-set would list every group (10,000 at 1M devices), search
    // the events of each, and sort them all to show the newest few.
    sql: everyGroup
      ? `(EXISTS (SELECT 1 FROM groups sg WHERE sg.id = e.group_id) OR EXISTS (SELECT 1 FROM removed_groups rg JOIN groups sk ON sk.id = rg.surviving_id WHERE rg.id = e.group_id))`
      : `e.group_id IN (SELECT sg.id FROM groups sg WHERE ${live.sql} UNION ALL SELECT rg.id FROM removed_groups rg JOIN groups sk ON sk.id = rg.surviving_id WHERE ${removed.sql})`,
    params: everyGroup ? {} : { ...live.params, ...removed.params },
    /** True when every event filed under a group, live or removed, is in scope. */
    everyGroup,
  };
}

/**
 * A group filter's subtree as a condition on `e.group_id`: for a group that exists, its
 * subtree now plus the removed groups re-filed inside it; for a removed group, itself and
 * the groups removed below it. Refuses (NOT_FOUND on `groupId`) a group the reader may not
 * read events of, removed or not, and an id that never was a group.
 */
function groupSubtree(db: Db, readerId: string, groupId: string): { sql: string; live: boolean } {
  const gone = stmt<[string], { surviving_id: string }>(
    db,
    'SELECT surviving_id FROM removed_groups WHERE id = ? AND id NOT IN (SELECT id FROM groups)',
  ).get(groupId);
  if (!gone) {
    requirePermission(db, readerId, 'audit.view', 'group', groupId, 'groupId');
    return {
      sql: `e.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId
      UNION ALL SELECT r.id FROM removed_groups r WHERE r.surviving_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId))`,
      live: true,
    };
  }
  try {
    requirePermission(db, readerId, 'audit.view', 'group', gone.surviving_id, 'groupId');
  } catch {
    // The surviving ancestor's name or existence is no business of a reader who may not see it.
    throw new OpError('NOT_FOUND', `No group with id ${groupId} exists, or you may not see it`, { field: 'groupId' });
  }
  return {
    sql: `e.group_id IN (WITH RECURSIVE below(id) AS (SELECT @groupId UNION ALL SELECT r.id FROM removed_groups r JOIN below ON r.parent_id = below.id)
    SELECT id FROM below)`,
    live: false,
  };
}

/**
 * A member filter is allowed for a person the reader may see (users.view) and, once the
 * person is removed, for a reader who can read the event of their removal: their activity
 * stays with those who saw them go. Anything else is NOT_FOUND on `memberId`, the same
 * answer as for an id that never existed.
 */
function requireMemberVisible(db: Db, readerId: string, memberId: string): void {
  if (stmt(db, 'SELECT 1 FROM users WHERE id = ?').get(memberId)) {
    requirePermission(db, readerId, 'users.view', 'user', memberId, 'memberId');
    return;
  }
  const scope = auditScope(db, readerId, 'audit.view');
  const removal = stmt<Record<string, string>, { seq: number }>(
    db,
    `SELECT e.seq FROM audit_events e WHERE e.target_id = @memberId AND e.action = 'users.remove' AND e.outcome = 'success' AND ${scope.sql} LIMIT 1`,
  ).get({ ...scope.params, memberId });
  if (!removal) throw new OpError('NOT_FOUND', `No user with id ${memberId} exists, or you may not see it`, { field: 'memberId' });
}

/**
 * The one filter behind the audit view, its count and its export, so that an export is
 * exactly what the view shows. Scope: audit.view at the event's group (seed 002: logs are
 * filtered by the user's scope), or at the surviving ancestor of a removed group; events
 * without a group are read by nobody (every command files its event under a group).
 */
export function auditWhere(db: Db, readerId: string, filter: AuditFilter) {
  if (filter.memberId) requireMemberVisible(db, readerId, filter.memberId);
  const subtree = filter.groupId ? groupSubtree(db, readerId, filter.groupId) : null;
  const scope = auditScope(db, readerId, 'audit.view');
  // Only the filters in use become clauses (fixed text, values always bound), so SQLite can use its indexes. A live
  // group's subtree (its groups, and the removed groups re-filed under them) lies inside a scope held everywhere, which
  // then adds nothing. A removed group's walks parent_id through removed groups, whose surviving ancestor the scope
  // still checks: a row left pointing at no live group (a parent removed in the same statement) stays unread.
  const clauses: string[] = subtree?.live && scope.everyGroup ? [] : [scope.sql];
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
  if (filter.groupId && subtree) {
    clauses.push(subtree.sql);
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
  // One action in one subtree: its rows, found by (action, group, time), are all the page and the count read. Left to its
  // statistics, SQLite would sometimes walk every event of the action newest first instead, hoping to meet the page early,
  // and a time filter in the past made that 50 ms at 1M events, against 5 ms this way (issue 17, finding 4).
  const exactAction = filter.action !== undefined && !filter.action.endsWith('.');
  const index = exactAction && subtree ? ' INDEXED BY audit_action_group_at' : '';
  return { sql, params, from: `FROM audit_events e${index}` };
}

export type AuditWhere = ReturnType<typeof auditWhere>;

/** The statement behind readEvents: the newest `limit` events of `where` below `beforeSeq` (0: from the newest), group names joined for those only. */
export function eventsPage(where: AuditWhere, beforeSeq: number, limit: number): { sql: string; params: Record<string, string | number> } {
  return {
    sql: `SELECT p.*, coalesce(g.name, gone.name) AS group_name
     FROM (SELECT e.* ${where.from} WHERE ${where.sql}${beforeSeq > 0 ? ' AND e.seq < @beforeSeq' : ''} ORDER BY e.seq DESC LIMIT @limit) p
     LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN removed_groups gone ON gone.id = p.group_id
     ORDER BY p.seq DESC`,
    params: { ...where.params, ...(beforeSeq > 0 ? { beforeSeq } : {}), limit },
  };
}

/** The statement behind countEvents: how many events `where` matches, counting no further than `cap`. */
export function eventsCount(where: AuditWhere, cap: number): { sql: string; params: Record<string, string | number> } {
  return { sql: `SELECT count(*) AS n FROM (SELECT 1 ${where.from} WHERE ${where.sql} LIMIT @cap)`, params: { ...where.params, cap } };
}

export function readEvents(db: Db, where: AuditWhere, beforeSeq: number, limit: number): AuditEntry[] {
  const page = eventsPage(where, beforeSeq, limit);
  return stmt<Record<string, string | number>, Row>(db, page.sql).all(page.params).map(toEntry);
}

export function countEvents(db: Db, where: AuditWhere, cap: number): number {
  const count = eventsCount(where, cap);
  return stmt<Record<string, string | number>, { n: number }>(db, count.sql).get(count.params)?.n ?? 0;
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
