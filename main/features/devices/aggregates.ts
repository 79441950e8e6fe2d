import type { Binding } from '../../../shared/access/decide';
import type { DeviceFilter, DeviceKind, DeviceStatus } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { deviceReach, type DeviceReach } from './query';

/**
 * Device counts without reading devices (issue 17, R30, docs/scale.md): the per-group tallies of
 * migration 34, kept by triggers in the same transaction as every change, summed over the
 * subtrees a person reaches. What the grid's "N devices match", the filter facets, the tree's
 * counts and the dashboard (issue 18) read.
 */

/** One combination of the facet dimensions, and how many devices have it. */
export interface DeviceTallyRow {
  status: DeviceStatus;
  kind: DeviceKind;
  os: string;
  count: number;
}

export interface DeviceTally {
  /** The sum of `rows`. */
  total: number;
  /** Only combinations with at least one device; in no particular order. */
  rows: DeviceTallyRow[];
}

/**
 * Which way the counts were made, for callers and tests:
 * - `tally`: every device the person sees lies in a subtree they see whole (a role that sees
 *   its whole scope): the subtrees' tallies, a few rows per subtree, whatever the fleet size.
 * - `tally+held`: some of their roles show only the devices assigned to them (Operator,
 *   Viewer): the subtrees they see whole from the tallies, plus the devices they hold
 *   elsewhere, read from their own assignments (work in proportion to what they hold).
 * - `none`: they may see no device; every count is zero.
 */
export type TallyPath = 'tally' | 'tally+held' | 'none';

export interface VisibleTally extends DeviceTally {
  path: TallyPath;
}

/**
 * The devices anywhere in the subtrees of `groupIds` (each group and everything below it),
 * counted from the tallies, with no visibility applied: the caller has decided that the
 * reader sees these subtrees whole (e.g. `devices.view` granted by a role that sees its
 * whole scope at or above each group). Groups nested in another of the list are counted
 * once. Unknown ids count nothing. Cost: a few dozen rows per subtree, at any fleet size.
 * This is the function the dashboard (issue 18) reads its device figures through.
 */
export function subtreeTally(db: Db, groupIds: readonly string[]): DeviceTally {
  const roots = outermost(db, groupIds);
  if (roots.length === 0) return { total: 0, rows: [] };
  const rows = stmt<[string], DeviceTallyRow>(
    db,
    `SELECT status, kind, os, sum(n) AS count FROM device_tally WHERE group_id IN (SELECT value FROM json_each(?))
     GROUP BY status, kind, os`,
  ).all(JSON.stringify(roots));
  return { total: rows.reduce((n, r) => n + r.count, 0), rows };
}

/**
 * The devices `subjectId` may see (devices.view, R2 with seed 000's assignment rule), within
 * `groupId`'s subtree when given, counted by combination. Which path runs is in `path`
 * (see TallyPath): the subtrees the subject sees whole come from the tallies; devices seen
 * only because they are assigned to the subject (Operators, Viewers) come from the subject's
 * own assignments, never from a group's tally, which would count their colleagues' devices
 * too. `bindings` overrides the subject's current ones (a job's rights at its start).
 * Returns null only when the permission is limited by group kind (no device permission is,
 * seed 001): the caller then counts with SQL over the devices.
 */
export function visibleTally(
  db: Db,
  subjectId: string,
  options: { groupId?: string; bindings?: readonly Binding[]; key?: string } = {},
): VisibleTally | null {
  const reach = deviceReach(db, subjectId, options.key ?? 'devices.view', options.bindings);
  if (reach.kinds !== null) return null;
  const { scope, held } = reachWithin(db, reach, options.groupId);
  if (scope.length === 0 && held === null) return { total: 0, rows: [], path: 'none' };
  const whole = subtreeTally(db, scope);
  if (held === null) return { ...whole, path: 'tally' };
  const extra = stmt<Record<string, string | null>, DeviceTallyRow>(
    db,
    `SELECT d.status, d.kind, d.os, count(*) AS count
     FROM device_assignments a CROSS JOIN devices d ON d.id = a.device_id
     WHERE a.user_id = @subject ${HELD_ELSEWHERE}
     GROUP BY d.status, d.kind, d.os`,
  ).all(held);
  return { ...mergeRows([...whole.rows, ...extra]), path: 'tally+held' };
}

/**
 * The devices `subjectId` may see in each group itself (not its subtree): the tree's counts.
 * Groups in a subtree the subject sees whole read `device_group_count`; groups they reach
 * only through an 'assigned' role count the devices assigned to them there. Groups with no
 * visible device are absent. Null as in visibleTally.
 */
export function visibleGroupCounts(db: Db, subjectId: string): Map<string, number> | null {
  const reach = deviceReach(db, subjectId, 'devices.view');
  if (reach.kinds !== null) return null;
  const { scope, held } = reachWithin(db, reach, undefined);
  const counts = new Map<string, number>();
  const whole =
    scope.includes(reach.root) && reach.root !== ''
      ? stmt<[], { id: string; n: number }>(db, 'SELECT group_id AS id, n FROM device_group_count').all()
      : stmt<[string], { id: string; n: number }>(
          db,
          `SELECT c.group_id AS id, c.n FROM group_closure t CROSS JOIN device_group_count c ON c.group_id = t.descendant
           WHERE t.ancestor IN (SELECT value FROM json_each(?))`,
        ).all(JSON.stringify(scope));
  for (const row of whole) counts.set(row.id, row.n);
  if (held !== null) {
    const extra = stmt<Record<string, string | null>, { id: string; n: number }>(
      db,
      `SELECT d.group_id AS id, count(*) AS n FROM device_assignments a CROSS JOIN devices d ON d.id = a.device_id
       WHERE a.user_id = @subject ${HELD_ELSEWHERE} GROUP BY d.group_id`,
    ).all(held);
    for (const row of extra) counts.set(row.id, (counts.get(row.id) ?? 0) + row.n);
  }
  return counts;
}

/**
 * How many devices `subjectId` sees (devices.view) that have no assignment at all: the devices
 * list's {assignment: unassigned} total and Access hygiene's section (R33), from migration 36's
 * per-subtree counts over the subtrees the subject sees whole. Devices seen only because they
 * are assigned to the subject are assigned, so they add nothing. Null for a kind-limited reach
 * (as visibleTally): the caller then counts with SQL over the devices.
 */
export function visibleUnassigned(db: Db, subjectId: string): number | null {
  const reach = deviceReach(db, subjectId, 'devices.view');
  if (reach.kinds !== null) return null;
  const { scope } = reachWithin(db, reach, undefined);
  if (scope.length === 0) return 0;
  return (
    stmt<[string], { n: number | null }>(
      db,
      'SELECT sum(n) AS n FROM device_unassigned WHERE group_id IN (SELECT value FROM json_each(?))',
    ).get(JSON.stringify(scope))?.n ?? 0
  );
}

/** The filter fields the tallies hold: a group and the facet dimensions. Any other field (name text, assignment, a member, last backup) needs the devices. */
const TALLIED_FIELDS: ReadonlySet<string> = new Set(['groupId', 'kinds', 'os', 'statuses']);

/** Whether a filter tests only what the tallies hold; an unset field (undefined, null, '', 'any', an empty list) tests nothing. Deny by default: a field added later counts from the devices until it is listed here. */
function onlyTallied(filter: DeviceFilter): boolean {
  return Object.entries(filter).every(
    ([field, value]) =>
      TALLIED_FIELDS.has(field) ||
      value === undefined ||
      value === null ||
      value === '' ||
      value === 'any' ||
      (Array.isArray(value) && value.length === 0),
  );
}

/**
 * The visible devices' combinations (status, kind, OS → count) within the filter's group, from
 * the tallies, with the filter's kind, OS and status lists left for the caller (the facets
 * cross-filter them). Null when the filter tests anything the tallies do not hold or the reach
 * is kind-limited: the caller then counts with SQL over the devices.
 */
export function tallyRowsFor(db: Db, subjectId: string, filter: DeviceFilter): DeviceTallyRow[] | null {
  return tallyFor(db, subjectId, filter)?.rows ?? null;
}

/** The visible tally within the filter's group, or null when the filter tests what the tallies do not hold or the reach is kind-limited. */
function tallyFor(db: Db, subjectId: string, filter: DeviceFilter) {
  return onlyTallied(filter) ? visibleTally(db, subjectId, filter.groupId ? { groupId: filter.groupId } : {}) : null;
}

/**
 * The tallies' view of a grid filter: when the filter uses only the tallied dimensions (kind,
 * OS, status) and a group, the number of visible devices it matches, without reading devices.
 * Null when the filter tests something else (name text, assignment, a member, last backup) or
 * the reach is kind-limited: the list then counts with SQL.
 */
export function tallyMatching(
  db: Db,
  subjectId: string,
  filter: DeviceFilter,
): { total: number; rows: DeviceTallyRow[]; path: TallyPath } | null {
  const tally = tallyFor(db, subjectId, filter);
  if (!tally) return null;
  const rows = tally.rows.filter(matchesFacets(filter));
  return { total: rows.reduce((n, r) => n + r.count, 0), rows, path: tally.path };
}

/** Whether a tally row's combination passes the filter's kind, OS and status lists. */
export function matchesFacets(filter: DeviceFilter): (row: DeviceTallyRow) => boolean {
  const kinds = filter.kinds?.length ? new Set<string>(filter.kinds) : null;
  const os = filter.os?.length ? new Set(filter.os) : null;
  const statuses = filter.statuses?.length ? new Set<string>(filter.statuses) : null;
  return (r) => (!kinds || kinds.has(r.kind)) && (!os || os.has(r.os)) && (!statuses || statuses.has(r.status));
}

/** Devices held by @subject under an 'assigned' root (within @within), outside every subtree seen whole. */
export const HELD_ELSEWHERE = `
  AND d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@assignedRoots)))
  AND (@within IS NULL OR d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @within))
  AND d.group_id NOT IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@scopeRoots)))`;

/**
 * A reach narrowed to `groupId`'s subtree: the outermost groups seen whole inside it, and the
 * parameters of HELD_ELSEWHERE when the subject also sees devices through 'assigned' roles.
 */
export function reachWithin(
  db: Db,
  reach: DeviceReach,
  groupId: string | undefined,
): { scope: string[]; held: Record<string, string | null> | null } {
  let scope = [...reach.scope];
  if (groupId !== undefined) {
    // A root above the group sees the group's subtree whole; a root inside it sees its own.
    const above = stmt<[string, string], { one: number }>(
      db,
      'SELECT 1 AS one FROM group_closure WHERE descendant = ? AND ancestor IN (SELECT value FROM json_each(?)) LIMIT 1',
    ).get(groupId, JSON.stringify(scope));
    scope = above
      ? [groupId]
      : stmt<[string, string], { id: string }>(
          db,
          'SELECT descendant AS id FROM group_closure WHERE ancestor = ? AND descendant IN (SELECT value FROM json_each(?))',
        )
          .all(groupId, JSON.stringify(scope))
          .map((r) => r.id);
  }
  scope = outermost(db, scope);
  const held =
    reach.assigned.size === 0
      ? null
      : {
          subject: reach.subjectId,
          assignedRoots: JSON.stringify([...reach.assigned]),
          within: groupId ?? null,
          scopeRoots: JSON.stringify([...reach.scope]),
        };
  return { scope, held };
}

/** The groups of `ids` that lie under no other group of `ids` (each subtree counted once); unknown ids dropped. */
export function outermost(db: Db, ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const list = JSON.stringify(unique);
  const inner = new Set(
    stmt<[string, string], { id: string }>(
      db,
      `SELECT descendant AS id FROM group_closure WHERE depth > 0 AND ancestor IN (SELECT value FROM json_each(?))
       AND descendant IN (SELECT value FROM json_each(?))`,
    )
      .all(list, list)
      .map((r) => r.id),
  );
  const known = new Set(
    stmt<[string], { id: string }>(db, 'SELECT id FROM groups WHERE id IN (SELECT value FROM json_each(?))')
      .all(list)
      .map((r) => r.id),
  );
  return unique.filter((id) => known.has(id) && !inner.has(id));
}

function mergeRows(rows: readonly DeviceTallyRow[]): DeviceTally {
  const merged = new Map<string, DeviceTallyRow>();
  for (const r of rows) {
    const key = JSON.stringify([r.status, r.kind, r.os]);
    const hit = merged.get(key);
    if (hit) hit.count += r.count;
    else merged.set(key, { ...r });
  }
  const out = [...merged.values()];
  return { total: out.reduce((n, r) => n + r.count, 0), rows: out };
}
