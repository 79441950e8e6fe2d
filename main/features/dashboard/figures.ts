import { decide } from '../../../shared/access/decide';
import { isCompanyKind, type GroupKind } from '../../../shared/access/groups';
import {
  FRESHNESS_BUCKETS,
  freshnessFilter,
  type AccessHealth,
  type AuditEntry,
  type CompanySeats,
  type DashboardSummary,
  type DeviceStatus,
  type FleetHealth,
  type FreshnessBucket,
  type GroupHealth,
  type StatusCounts,
} from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { bindingsOf, HOME_GROUP_KIND, scopeCondition } from '../access/access';
import { hygieneReport } from '../access/hygiene';
import { groupPath } from '../access/tree';
import { auditWhere, readEvents } from '../audit/query';
import { redactForReader } from '../audit/redact';
import { reachWithin, subtreeTally, visibleTally } from '../devices/aggregates';
import { deviceReach, deviceWhere } from '../devices/query';
import { seatUses } from '../users/seats';
import { zeroCounts } from '../history/counts';
import { heldFreshness, subtreeFreshness, subtreeStale, zeroFreshness, type HeldRow } from './freshness';

/**
 * Every figure of the dashboard (issue 18), in one module so that where they are counted can
 * change in one place. R33: each figure is counted by the rule of the list it links to, for
 * the caller, so that a figure always equals the total of that list:
 *
 * | figure                               | the list it equals                                                        |
 * | ------------------------------------ | ------------------------------------------------------------------------- |
 * | fleet.total                          | devices.list, no filter                                                   |
 * | fleet.byStatus[s]                    | devices.list {statuses: [s]}                                              |
 * | fleet.freshness[b]                   | devices.list freshnessFilter(b, asOf)                                     |
 * | fleet.groups[i].failed/older/never   | devices.list {groupId, statuses: [failed]} / freshnessFilter(older) / {neverBackedUp} |
 * | access.activePeople / mfaEnrolled    | users.list {statuses: [active]} / {statuses: [active], mfa: [enrolled]}   |
 * | access.withoutMfa … unusedRoles      | the sections of access.hygiene (the same code, hygieneReport)             |
 * | access.unassignedDevices             | devices.list {assignment: unassigned}, and the hygiene section            |
 * | seats[i]                             | groups.get(company).seats (the same code, seatUses)                       |
 * | recent                               | audit.list, newest first                                                  |
 * | a chart's last point (statusNow)     | devices.list {groupId, statuses: [s]}                                     |
 *
 * The device figures come from aggregates kept by triggers, not from the devices (R30,
 * docs/dashboard.md): total, statuses and statusNow from the tallies (migration 34);
 * freshness and the ranked groups' failed / older / never from migration 36's backup hours
 * and days (freshness.ts), as of the start of the hour (dashboardAsOf) so that each bucket is
 * an exact sum of rows; unassignedDevices from migration 36's unassigned counts (through
 * hygieneReport). Devices seen only because they are assigned to the caller are read from the
 * caller's own assignments.
 */

/** How many groups the fleet table and the seats list hold. */
const GROUPS_SHOWN = 10;
const SEATS_SHOWN = 20;
const RECENT_SHOWN = 8;

/**
 * The caller's visible devices counted by own group, status and freshness bucket (as of
 * `asOf`) in one grouped pass over the devices list's WHERE: only for a reach limited by group
 * kind (visibleTally answers null; no device permission is today, seed 001), where the
 * aggregates cannot say which devices a kind hides.
 */
function scannedTally(db: Db, actorId: string, asOf: number): HeldRow[] {
  const q = deviceWhere(db, actorId, {});
  const edge = (bucket: FreshnessBucket) => freshnessFilter(bucket, asOf).backedUpFrom ?? 0;
  return stmt<Record<string, string | number>, HeldRow>(
    db,
    `SELECT d.group_id AS groupId, d.status AS status,
       CASE WHEN d.last_backup_at IS NULL THEN 'never' WHEN d.last_backup_at >= @dayFrom THEN 'day'
            WHEN d.last_backup_at >= @days3From THEN 'days3' WHEN d.last_backup_at >= @weekFrom THEN 'week' ELSE 'older' END AS bucket,
       count(*) AS n
     ${q.from} WHERE ${q.where} GROUP BY 1, 2, 3`,
  ).all({ ...q.params, dayFrom: edge('day'), days3From: edge('days3'), weekFrom: edge('week') });
}

/**
 * The devices the caller sees in the group's subtree, by status, now: a chart's last point.
 * From the tallies (visibleTally); counted over the devices only for a kind-limited reach.
 */
export function statusNow(db: Db, actorId: string, groupId: string): StatusCounts {
  const counts = zeroCounts();
  const tally = visibleTally(db, actorId, { groupId });
  if (tally) {
    for (const row of tally.rows) counts[row.status] += row.count;
    return counts;
  }
  const q = deviceWhere(db, actorId, { groupId });
  for (const row of stmt<Record<string, string | number>, { status: DeviceStatus; n: number }>(
    db,
    `SELECT d.status AS status, count(*) AS n ${q.from} WHERE ${q.where} GROUP BY d.status`,
  ).all(q.params))
    counts[row.status] = row.n;
  return counts;
}

/** The hour `now` falls in (epoch ms, rounded down): the dashboard's asOf, so that every freshness edge is a whole hour (R33, migration 36). */
export const dashboardAsOf = (now: number): number => Math.floor(now / HOUR_MS) * HOUR_MS;
const HOUR_MS = 3_600_000;

const holds = (db: Db, actorId: string, key: string) => bindingsOf(db, actorId).some((b) => b.role.permissions.has(key));

interface GroupRow {
  id: string;
  parent_id: string | null;
  kind: GroupKind;
  name: string;
}

/**
 * The groups the fleet table ranks: for each end customer, the customer itself when the caller
 * sees it (groups.view), else the highest groups they see inside it. These never overlap, and
 * every device the caller sees in one counts there, so each row equals the devices list
 * filtered by that group. Devices above the customers (held by a reseller itself) are in the
 * totals but in no row.
 */
function rankedGroupOf(db: Db, actorId: string): RankedGroups {
  const seen = scopeCondition(db, actorId, 'groups.view', { group: 'g.id', kind: 'g.kind' }, 'gv');
  // Seeing every group, the ranked groups are the customers themselves: only they are read, not the whole tree.
  const customers = seen.everyGroup
    ? new Map(
        stmt<[], GroupRow>(db, "SELECT id, parent_id, kind, name FROM groups WHERE kind = 'customer'")
          .all()
          .map((g) => [g.id, g]),
      )
    : undefined;
  let tree: { groups: Map<string, GroupRow>; visible: Set<string> } | undefined;
  // The whole tree and what the caller sees of it, read once and only when a walk needs them.
  const whole = () =>
    (tree ??= {
      groups: new Map(
        stmt<[], GroupRow>(db, 'SELECT id, parent_id, kind, name FROM groups')
          .all()
          .map((g) => [g.id, g]),
      ),
      visible: new Set(
        stmt<Record<string, string>, { id: string }>(db, `SELECT g.id FROM groups g WHERE ${seen.sql}`)
          .all(seen.params)
          .map((r) => r.id),
      ),
    });
  const memo = new Map<string, GroupRow | undefined>();
  const of = (groupId: string) => {
    if (memo.has(groupId)) return memo.get(groupId);
    const { groups, visible } = whole();
    // The path from the group up to its end customer; groups above a customer rank nowhere.
    const path: GroupRow[] = [];
    let customer = false;
    for (let g = groups.get(groupId); g && path.length < 10_000; g = g.parent_id ? groups.get(g.parent_id) : undefined) {
      if (isCompanyKind(g.kind) && g.kind !== 'customer') break;
      path.push(g);
      if (g.kind === 'customer') {
        customer = true;
        break;
      }
    }
    const ranked = customer ? [...path].reverse().find((g) => visible.has(g.id)) : undefined;
    memo.set(groupId, ranked);
    return ranked;
  };
  return {
    of,
    byId: (id) => customers?.get(id) ?? whole().groups.get(id),
    all: () => {
      if (customers) return [...customers.keys()];
      // A ranked group is a customer, or visible with its parent hidden: only those can head a row, so only they are walked.
      const { groups, visible } = whole();
      const heads = [...groups.values()].filter(
        (g) => g.kind === 'customer' || (visible.has(g.id) && !(g.parent_id !== null && visible.has(g.parent_id))),
      );
      return [...new Set(heads.map((g) => of(g.id)?.id).filter((id): id is string => id !== undefined))];
    },
  };
}

interface RankedGroups {
  /** The ranked group a group's devices count in, if any. */
  of(groupId: string): GroupRow | undefined;
  byId(id: string): GroupRow | undefined;
  /** Every ranked group: the rows the fleet table may show. */
  all(): string[];
}

/**
 * Fleet health for the caller (devices.view) as of `asOf` (a whole hour, dashboardAsOf); null
 * when they hold it nowhere. The subtrees they see whole are counted from the aggregates: the
 * tallies for the total and statuses, migration 36's backup hours for freshness, and for each
 * ranked group the outermost of those subtrees inside it (or the group itself when one holds
 * it). Devices seen only because they are assigned to the caller are read from the caller's
 * own assignments and added by their own group.
 */
export function fleetHealth(db: Db, actorId: string, asOf: number): FleetHealth | null {
  if (!holds(db, actorId, 'devices.view')) return null;
  const byStatus = zeroCounts();
  const freshness = zeroFreshness();
  const rankedOf = rankedGroupOf(db, actorId);
  const rows = new Map<string, GroupHealth>();
  const rowOf = (ranked: GroupRow) => {
    let row = rows.get(ranked.id);
    if (!row) rows.set(ranked.id, (row = { groupId: ranked.id, name: ranked.name, kind: ranked.kind, failed: 0, older: 0, never: 0 }));
    return row;
  };
  let total = 0;
  const reach = deviceReach(db, actorId, 'devices.view');
  let perDevice: HeldRow[];
  if (reach.kinds === null) {
    const { scope, held } = reachWithin(db, reach, undefined);
    const whole = subtreeTally(db, scope);
    total = whole.total;
    for (const r of whole.rows) byStatus[r.status] += r.count;
    const fresh = subtreeFreshness(db, scope, whole.total, asOf);
    for (const b of FRESHNESS_BUCKETS) freshness[b] += fresh[b];
    const units = rankedUnits(db, rankedOf.all(), scope, reach.root);
    const stale = subtreeStale(db, [...units.values()].flat(), asOf);
    for (const [rankedId, ids] of units) {
      const ranked = rankedOf.byId(rankedId);
      for (const counts of ids.map((id) => stale.get(id))) {
        if (!ranked || !counts) continue;
        const row = rowOf(ranked);
        row.failed += counts.failed;
        row.older += counts.older;
        row.never += counts.never;
      }
    }
    perDevice = held === null ? [] : heldFreshness(db, held, asOf);
  } else perDevice = scannedTally(db, actorId, asOf);
  for (const t of perDevice) {
    total += t.n;
    byStatus[t.status] += t.n;
    freshness[t.bucket] += t.n;
    const failed = t.status === 'failed' ? t.n : 0;
    const older = t.bucket === 'older' ? t.n : 0;
    const never = t.bucket === 'never' ? t.n : 0;
    if (failed + older + never === 0) continue;
    const ranked = rankedOf.of(t.groupId);
    if (!ranked) continue;
    const row = rowOf(ranked);
    row.failed += failed;
    row.older += older;
    row.never += never;
  }
  const weight = (g: GroupHealth) => g.failed + g.older + g.never;
  const groups = [...rows.values()]
    .filter((g) => weight(g) > 0)
    .sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name) || a.groupId.localeCompare(b.groupId));
  return { total, byStatus, freshness, groups: groups.slice(0, GROUPS_SHOWN), groupsTotal: groups.length };
}

/**
 * For each ranked group, the subtrees of `scope` (outermost, seen whole) that hold its visible
 * devices: the group itself when a scope root is at or above it, else the scope roots inside
 * it. Ranked groups never overlap, so no subtree counts for two.
 */
function rankedUnits(db: Db, ranked: readonly string[], scope: readonly string[], root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (ranked.length === 0 || scope.length === 0) return out;
  if (scope.includes(root)) {
    for (const id of ranked) out.set(id, [id]);
    return out;
  }
  const params = { ranked: JSON.stringify(ranked), scope: JSON.stringify(scope) };
  const covered = new Set(
    stmt<Record<string, string>, { id: string }>(
      db,
      `SELECT DISTINCT descendant AS id FROM group_closure WHERE descendant IN (SELECT value FROM json_each(@ranked))
       AND ancestor IN (SELECT value FROM json_each(@scope))`,
    )
      .all(params)
      .map((r) => r.id),
  );
  for (const id of covered) out.set(id, [id]);
  for (const r of stmt<Record<string, string>, { id: string; unit: string }>(
    db,
    `SELECT ancestor AS id, descendant AS unit FROM group_closure WHERE depth > 0 AND ancestor IN (SELECT value FROM json_each(@ranked))
     AND descendant IN (SELECT value FROM json_each(@scope))`,
  ).all(params)) {
    if (covered.has(r.id)) continue;
    const units = out.get(r.id);
    if (units) units.push(r.unit);
    else out.set(r.id, [r.unit]);
  }
  return out;
}

/** Access health for the caller (users.view, as the Access hygiene screen); null when they hold it nowhere. */
export function accessHealth(db: Db, actorId: string, now: number): AccessHealth | null {
  if (!holds(db, actorId, 'users.view')) return null;
  const hygiene = hygieneReport(db, actorId, now, 0);
  // users.list's own rule and MFA state (enrolled: an authenticator is set).
  const scope = scopeCondition(db, actorId, 'users.view', { group: 'u.home_group_id', kind: HOME_GROUP_KIND, user: 'u.id' });
  const people = stmt<Record<string, string>, { active: number; enrolled: number | null }>(
    db,
    `SELECT count(*) AS active, sum(u.totp_secret IS NOT NULL) AS enrolled FROM users u WHERE u.status = 'active' AND ${scope.sql}`,
  ).get(scope.params);
  return {
    activePeople: people?.active ?? 0,
    mfaEnrolled: people?.enrolled ?? 0,
    withoutMfa: hygiene.usersWithoutMfa.total,
    pendingInvitations: hygiene.pendingInvitations.total,
    expiredInvitations: hygiene.expiredInvitations.total,
    dormantAccounts: hygiene.dormantAccounts.total,
    unassignedDevices: hygiene.unassignedDevices.total,
    unusedRoles: hygiene.unusedRoles.total,
  };
}

/**
 * Seats of the companies where the caller sees people (users.view at the company group itself),
 * counted by the seat limit's own code; those with a limit fullest first, then by seats used.
 */
export function companySeats(db: Db, actorId: string, now: number): { seats: CompanySeats[]; total: number } {
  const scope = scopeCondition(db, actorId, 'users.view', { group: 'g.id', kind: 'g.kind' });
  // The members' tally is read in the same pass over the groups (a lookup per company by id cost 3 ms at 2,900 companies).
  const companies = stmt<
    Record<string, string>,
    { id: string; name: string; kind: GroupKind; seat_limit: number | null; members: number | null }
  >(
    db,
    `SELECT g.id, g.name, g.kind, g.seat_limit, t.n AS members FROM groups g LEFT JOIN group_member_tally t ON t.group_id = g.id
     WHERE g.kind NOT IN ('location', 'department') AND ${scope.sql}`,
  )
    .all(scope.params)
    .filter((g) => isCompanyKind(g.kind));
  const fill = (s: CompanySeats) => (s.limit === null ? -1 : s.limit === 0 ? Number.POSITIVE_INFINITY : s.used / s.limit);
  const seats = seatUses(db, companies, now)
    .map((u) => ({ ...u, used: u.members + u.pending }))
    .sort((a, b) => fill(b) - fill(a) || b.used - a.used || a.companyName.localeCompare(b.companyName));
  return { seats: seats.slice(0, SEATS_SHOWN), total: seats.length };
}

/** The newest audit events the caller may read (audit.list's filter and redaction); null without audit.view anywhere. */
export function recentChanges(db: Db, actorId: string): AuditEntry[] | null {
  if (!holds(db, actorId, 'audit.view')) return null;
  return redactForReader(db, actorId, readEvents(db, auditWhere(db, actorId, {}), 0, RECENT_SHOWN));
}

/**
 * The groups of the caller's bindings where both dashboard.view and charts.view hold, which
 * includes the Historical charts module existing at the group's kind (seed 001, R2).
 */
export function chartGroups(db: Db, actorId: string): DashboardSummary['chartGroups'] {
  const bindings = bindingsOf(db, actorId);
  const out: DashboardSummary['chartGroups'] = [];
  for (const groupId of new Set(bindings.map((b) => b.groupId))) {
    const path = groupPath(db, groupId);
    if (!path) continue;
    const target = { type: 'group' as const, id: groupId, path: path.ids, kind: path.kind };
    if (decide(bindings, 'charts.view', target).allowed && decide(bindings, 'dashboard.view', target).allowed) {
      const self = path.fromRoot[path.fromRoot.length - 1];
      if (self) out.push({ id: self.id, name: self.name, kind: self.kind });
    }
  }
  // Highest first: the widest subtree is the natural first chart.
  return out.sort(
    (a, b) => (groupPath(db, a.id)?.ids.length ?? 0) - (groupPath(db, b.id)?.ids.length ?? 0) || a.name.localeCompare(b.name),
  );
}

/** The whole dashboard for the caller at `now` (epoch ms). */
export function dashboardSummary(db: Db, actorId: string, now: number): DashboardSummary {
  const seats = companySeats(db, actorId, now);
  return {
    asOf: dashboardAsOf(now),
    fleet: fleetHealth(db, actorId, dashboardAsOf(now)),
    access: accessHealth(db, actorId, now),
    seats: seats.seats,
    seatsTotal: seats.total,
    recent: recentChanges(db, actorId),
    chartGroups: chartGroups(db, actorId),
  };
}
