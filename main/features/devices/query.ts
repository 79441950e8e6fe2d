import { permission as lookup } from '../../../shared/access/catalog';
import type { Binding } from '../../../shared/access/decide';
import { GROUP_KINDS, type GroupKind } from '../../../shared/access/groups';
import type { DeviceFilter } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import type { Actor } from '../../dispatch/context';
import type { Need } from '../../dispatch/registry';
import { bindingsOf, scopeRoots } from '../access/access';
import { rootGroup } from '../access/tree';

/**
 * The devices a caller may see, narrowed by a filter: one WHERE clause for the grid, its
 * count, the facets, the export and "all N matching" jobs, so they can never disagree.
 * The SQL text varies only by which filters are present; every value is a parameter.
 */
export interface DeviceWhere {
  /** FROM clause naming devices `d` (and groups `g` when a condition needs it). */
  from: string;
  where: string;
  params: Record<string, string | number>;
}

/**
 * Where a subject may do `key` on devices: the groups whose whole subtree they reach (a
 * role that sees its whole scope), the groups under which they reach only the devices
 * assigned to them (an 'assigned' role, seed 000), and the group kinds where the key's
 * module exists (null: every kind). One reading of the bindings for the SQL condition
 * below, the tallies (aggregates.ts) and the list's plan (list.ts), so they cannot differ.
 */
export interface DeviceReach {
  subjectId: string;
  scope: ReadonlySet<string>;
  assigned: ReadonlySet<string>;
  /** The root group's id ('' before setup): a scope binding there reaches every device. */
  root: string;
  kinds: readonly GroupKind[] | null;
  /** The key exists in the catalog; an unknown key reaches nothing. */
  known: boolean;
}

export function deviceReach(db: Db, subjectId: string, key: string, bindings?: readonly Binding[]): DeviceReach {
  const { scope, assigned, kinds } = scopeRoots(db, subjectId, key, true, bindings);
  return {
    subjectId,
    scope,
    assigned,
    root: rootGroup(db)?.id ?? '',
    // Most permissions exist at every kind (seed 001 limits only deployment); then the kind test is skipped.
    kinds: kinds.length === GROUP_KINDS.length ? null : kinds,
    known: lookup(key) !== undefined,
  };
}

/** The reach covers every device: a scope binding at the root, and no kind limit. */
export const reachesAll = (reach: DeviceReach) => reach.kinds === null && reach.scope.has(reach.root);

/**
 * "The subject may do `key` on device d": R2 for devices, as SQL. The same rule
 * as access.scopeCondition, shaped for 100,000 rows: a binding at the root makes the
 * scope test vanish, and an 'assigned' role is driven from the subject's own assignments
 * (an index range) instead of a probe per device. Tests hold it to decide() for every role.
 */
export function deviceScope(
  db: Db,
  subjectId: string,
  key: string,
  prefix: string,
  bindings: readonly Binding[] = bindingsOf(db, subjectId),
): { sql: string; params: Record<string, string> } {
  return scopeSql(deviceReach(db, subjectId, key, bindings), prefix);
}

/** deviceScope's SQL for a reach already read. */
export function scopeSql(reach: DeviceReach, prefix: string): { sql: string; params: Record<string, string> } {
  if (!reach.known) return { sql: '0', params: {} };
  const params: Record<string, string> = {};
  const inSubtrees = (roots: ReadonlySet<string>, name: string) => {
    if (roots.has(reach.root)) return '1';
    params[name] = JSON.stringify([...roots]);
    return `d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(@${name})))`;
  };
  const parts: string[] = [];
  if (reach.scope.size > 0) parts.push(inSubtrees(reach.scope, `${prefix}Roots`));
  if (reach.assigned.size > 0 && !parts.includes('1')) {
    params[`${prefix}Subject`] = reach.subjectId;
    parts.push(
      `(d.id IN (SELECT device_id FROM device_assignments WHERE user_id = @${prefix}Subject) AND ${inSubtrees(reach.assigned, `${prefix}AssignedRoots`)})`,
    );
  }
  const any = parts.length === 0 ? '0' : parts.includes('1') ? '1' : parts.join(' OR ');
  if (reach.kinds === null) return { sql: `(${any})`, params };
  params[`${prefix}Kinds`] = JSON.stringify(reach.kinds);
  return { sql: `(g.kind IN (SELECT value FROM json_each(@${prefix}Kinds)) AND (${any}))`, params };
}

export const DEVICE_FROM = 'FROM devices d';
const WITH_GROUP = 'FROM devices d JOIN groups g ON g.id = d.group_id';

/**
 * What a device filter names, for the rules of every operation that takes one (`at` is
 * the filter's field path, e.g. `filter` or `selection.filter`): a group to narrow to
 * must be one the caller sees, and a member to filter by too, since the answer reveals
 * whom they hold (the caller may always filter by themselves). Only the fields in use.
 */
export function deviceFilterNeeds(filter: DeviceFilter | undefined, at: string, actor: Actor): Need[] {
  const needs: Need[] = [];
  if (filter?.groupId) needs.push({ permission: 'groups.view', on: { type: 'group', id: filter.groupId, field: `${at}.groupId` } });
  if (filter?.assigneeId && filter.assigneeId !== actor.userId)
    needs.push({ permission: 'users.view', on: { type: 'user', id: filter.assigneeId, field: `${at}.assigneeId` } });
  return needs;
}

/** The keys deviceFilterNeeds may name. */
export const DEVICE_FILTER_KEYS = ['groups.view', 'users.view'] as const;

export function deviceWhere(
  db: Db,
  actorId: string,
  filter: DeviceFilter = {},
  options: {
    needGroup?: boolean;
    idOrder?: boolean;
    rowOrder?: boolean;
    /**
     * Visibility from these bindings instead of the actor's current ones (a job reads its
     * selection with the rights its starter had when it started); the assignee filter was
     * checked then, so it is not checked again.
     */
    asOfStart?: readonly Binding[];
  } = {},
): DeviceWhere {
  const scope = deviceScope(db, actorId, 'devices.view', 'vis', options.asOfStart);
  const conditions = filterConditions(filter);
  const where = [scope.sql, ...conditions.parts].join(' AND ');
  const params = { ...scope.params, ...conditions.params };
  // The groups join costs a lookup per row; only a kind-limited permission or a group sort needs it.
  const from = options.needGroup || where.includes('g.kind') ? WITH_GROUP : DEVICE_FROM;
  // Paging a job by device id, or planning one in table order: no other index may tempt the planner into reading the
  // whole selection per page.
  const indexed = options.idOrder ? 'devices d INDEXED BY sqlite_autoindex_devices_1' : options.rowOrder ? 'devices d NOT INDEXED' : null;
  return { from: indexed ? from.replace('devices d', indexed) : from, where, params };
}

/**
 * SQLite's `lower()`: ASCII letters only, the letters `LIKE` folds. Device names are
 * compared this way ("contains", case-insensitive for ASCII), in SQL and in the name index.
 */
export const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** "Contains" through the trigram index needs three characters (code points); shorter text is tested row by row. */
export const TRIGRAM = 3;
export const indexableText = (text: string) => [...text].length >= TRIGRAM;

/** The FTS5 query for "contains `text`": one phrase, quotes doubled, lowered as the index is. */
export const containsPhrase = (text: string) => `"${asciiLower(text).replace(/"/g, '""')}"`;

/**
 * The rowids (`r`) of the devices whose name contains @match's text (@lowered: the text
 * lowered), for text of three characters or more (indexableText): the trigram index less its
 * stale entries, and the names not indexed yet (at most about a thousand, migration 33),
 * tested one by one. The two never hold the same rowid.
 */
export const CONTAINS_ROWIDS = `SELECT f.rowid AS r FROM devices_fts(@match) f WHERE f.rowid NOT IN (SELECT rowid FROM devices_fts_stale)
  UNION ALL SELECT p.rowid AS r FROM devices_fts_pending p WHERE instr(p.name, @lowered) > 0`;

/**
 * How many rows CONTAINS_ROWIDS gives, without its per-row NOT IN: the index's matches, less
 * those of its stale rows (each looked up by rowid), plus the pending names that contain the
 * text. The same number; half the time at 40,000 matches in a million names (1.2 ms, not 2.2).
 */
export const CONTAINS_COUNT = `SELECT (SELECT count(*) FROM devices_fts(@match))
  - (SELECT count(*) FROM devices_fts(@match) f WHERE f.rowid IN (SELECT rowid FROM devices_fts_stale))
  + (SELECT count(*) FROM devices_fts_pending p WHERE instr(p.name, @lowered) > 0) AS n`;

/** CONTAINS_ROWIDS' parameters for `text`. */
export const containsParams = (text: string) => ({ match: containsPhrase(text), lowered: asciiLower(text) });

/**
 * The filter's conditions on devices `d`, each a SQL term with named parameters. "Name
 * contains" is `instr(lower(name), lower(text))`: exactly what `LIKE '%text%'` matched, and
 * exactly what the trigram index (migration 33) finds for text of three characters or more.
 */
export function filterConditions(filter: DeviceFilter): { parts: string[]; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  const text = filter.text ?? '';
  if (text !== '') {
    parts.push('instr(lower(d.name), @text) > 0');
    params.text = asciiLower(text);
  }
  const list = (name: string, column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
    params[name] = JSON.stringify([...new Set(values)]);
  };
  list('kinds', 'd.kind', filter.kinds);
  list('os', 'd.os', filter.os);
  list('statuses', 'd.status', filter.statuses);
  if (filter.groupId) {
    parts.push('d.group_id IN (SELECT descendant FROM group_closure WHERE ancestor = @groupId)');
    params.groupId = filter.groupId;
  }
  if (filter.assignment === 'assigned') parts.push('EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)');
  if (filter.assignment === 'unassigned') parts.push('NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id)');
  if (filter.assigneeId) {
    // Who may filter by whom is the operation's rule (deviceFilterNeeds), decided before this runs.
    parts.push('EXISTS (SELECT 1 FROM device_assignments m WHERE m.device_id = d.id AND m.user_id = @assigneeId)');
    params.assigneeId = filter.assigneeId;
  }
  // Issue 18: the dashboard's freshness buckets, as absolute bounds (shared/contract/dashboard.ts freshnessFilter).
  if (filter.neverBackedUp) parts.push('d.last_backup_at IS NULL');
  if (filter.backedUpFrom !== undefined) {
    parts.push('d.last_backup_at >= @backedUpFrom');
    params.backedUpFrom = filter.backedUpFrom;
  }
  if (filter.backedUpBefore !== undefined) {
    parts.push('d.last_backup_at < @backedUpBefore');
    params.backedUpBefore = filter.backedUpBefore;
  }
  return { parts, params };
}

/** Words for a filter, for job lists and audit events ("OS Windows 11, status failed, unassigned"). */
export function describeFilter(filter: DeviceFilter, names: { group?: string; assignee?: string }): string {
  const words: string[] = [];
  if (filter.text) words.push(`name contains "${filter.text}"`);
  if (filter.kinds?.length) words.push(`kind ${filter.kinds.join(' or ')}`);
  if (filter.os?.length) words.push(`OS ${filter.os.join(' or ')}`);
  if (filter.statuses?.length) words.push(`status ${filter.statuses.join(' or ')}`);
  if (filter.backedUpFrom !== undefined) words.push(`last backup since ${utcMinute(filter.backedUpFrom)}`);
  if (filter.backedUpBefore !== undefined) words.push(`last backup before ${utcMinute(filter.backedUpBefore)}`);
  // "with" reads before a column's value, not before "in …" or "unassigned".
  const lead = words.length > 0 ? `with ${words.join(', ')}` : '';
  const rest: string[] = [];
  if (filter.groupId) rest.push(`in ${names.group ?? 'a group'} and below`);
  if (filter.assignment === 'assigned' || filter.assignment === 'unassigned') rest.push(filter.assignment);
  if (filter.assigneeId) rest.push(`held by ${names.assignee ?? 'a member'}`);
  if (filter.neverBackedUp) rest.push('never backed up');
  const all = [lead, ...rest].filter((w) => w !== '');
  return all.length === 0 ? 'All devices you can see' : `Devices ${all.join(', ')}`;
}

/** "2025-03-01 14:05 UTC": a moment in a filter's words, the same for every reader. */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
