import type { DeviceFilter, DeviceSort } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { matchesFacets, outermost, subtreeTally, tallyMatching, type DeviceTallyRow } from './aggregates';
import {
  CONTAINS_COUNT,
  CONTAINS_ROWIDS,
  containsParams,
  deviceReach,
  filterConditions,
  indexableText,
  reachesAll,
  scopeSql,
  type DeviceReach,
} from './query';

/**
 * The grid's query (devices.list), planned so that its cost follows the window, not the
 * fleet (issue 17, R31, docs/scale.md). Given the statistics of a large table, SQLite's own
 * planner may walk every device in name order and probe an automatic index, or sort the
 * whole fleet; so the shape of each statement is chosen here, from the exact counts the
 * tallies give for nothing, and pinned with INDEXED BY and CROSS JOIN. Three shapes:
 *
 * - **walk**: read the sort's own index in order, test each row, stop after the window.
 *   Costs the rows passed over: about (rows before the window + the window) × fleet ÷ matches.
 * - **facet**: when the filter lists values of a column that leads an index ending in the
 *   sort's keys, walk that index once per value and merge: each walk passes over rows of
 *   its own value only, so a filter whose values cluster at one end of the order costs no
 *   more than one that does not.
 * - **drive**: read only the candidates one index gives (the trigram index for "contains",
 *   a person's assignments, a subtree's groups, one column's values), test and sort them.
 *   Costs the candidates.
 *
 * The cheapest runs. A cursor (`after`, keyset pagination) starts a walk at the last row
 * seen (a union of index ranges, one per key of the sort), so paging on costs the window
 * alone however deep it is; a bare offset still steps over the rows before it. "N devices
 * match" comes from the tallies when the filter uses only kind, OS, status and group
 * (aggregates.ts), else from a count over the fewest candidates.
 */

/** SQLite's smallest integer: never-backed-up devices (NULL) sort first, as NULL does, and still compare in a row value. */
export const NEVER = '-9223372036854775808';

interface Key {
  /** The value, as selected and compared. */
  expr: string;
  /** Compared as the name index compares (ASCII letters folded). */
  nocase: boolean;
}

interface SortSpec {
  /** The sort's own index, walked in order. */
  walk: string;
  /** Most significant first; the last ones make each row's place unique. */
  keys: Key[];
  /** Columns the walked index holds beyond the keys: a filter on them reads no table row. */
  holds: ReadonlySet<string>;
  /** Groups `g` are joined in the walk itself (the group sort walks groups first). */
  groupsFirst: boolean;
  /** For a filter on this column, the index that leads with it and then orders as this sort does. */
  facets: Partial<Record<FacetColumn, string>>;
}

type FacetColumn = 'status' | 'kind' | 'os';

const NAME: Key = { expr: 'd.name', nocase: true };
const ID: Key = { expr: 'd.id', nocase: false };
const BY_NAME_FACETS = { status: 'devices_by_status', kind: 'devices_by_kind', os: 'devices_by_os' } as const;

const columnSort = (column: FacetColumn, holds: string[]): SortSpec => ({
  walk: `devices d INDEXED BY devices_by_${column}`,
  keys: [{ expr: `d.${column}`, nocase: false }, NAME, ID],
  holds: new Set(holds),
  groupsFirst: false,
  facets: { [column]: `devices_by_${column}` },
});

const SORTS: Record<DeviceSort, SortSpec> = {
  name: {
    walk: 'devices d INDEXED BY devices_by_name',
    keys: [NAME, ID],
    holds: new Set(['group_id', 'status', 'kind', 'os']),
    groupsFirst: false,
    facets: BY_NAME_FACETS,
  },
  kind: columnSort('kind', ['status', 'os']),
  os: columnSort('os', ['status', 'kind']),
  status: columnSort('status', ['kind', 'os']),
  lastBackupAt: {
    walk: 'devices d INDEXED BY devices_by_backup',
    keys: [{ expr: `ifnull(d.last_backup_at, ${NEVER})`, nocase: false }, NAME, ID],
    holds: new Set(['status', 'kind', 'os']),
    groupsFirst: false,
    facets: { status: 'devices_by_status_backup' },
  },
  // Devices of one group together (groups of the same name in id order), each group's by name: an order two indexes give.
  group: {
    walk: 'groups g INDEXED BY groups_by_name CROSS JOIN devices d INDEXED BY devices_group_name ON d.group_id = g.id',
    keys: [{ expr: 'g.name', nocase: true }, { expr: 'g.id', nocase: false }, NAME, ID],
    holds: new Set(['group_id']),
    groupsFirst: true,
    facets: {},
  },
};

/** Relative costs of a row passed over in an index that holds what the filter tests, one that needs its table row, and a driven candidate. */
const COST = { step: 1, tableStep: 2, candidate: 4 } as const;

export interface Sql {
  sql: string;
  params: Record<string, string | number | null>;
}

export const PLAN_SHAPES = ['walk', 'facet', 'text', 'held', 'groups', 'column'] as const;
export type PlanShape = (typeof PLAN_SHAPES)[number];

export interface ListRequest {
  filter?: DeviceFilter | undefined;
  sort?: { column: DeviceSort; direction: 'asc' | 'desc' } | undefined;
  window?: { offset: number; limit: number; after?: string | undefined } | undefined;
}

export interface ListAnswer {
  total: number;
  /** The window's device ids, in order. */
  ids: string[];
  /** The same devices' rowids, in the same order: the page reads each row by it (every index holds it), not by a lookup of its id. */
  rowids: number[];
  /** A cursor for the rows after the last one (keyset), or null when none follow. */
  after: string | null;
  /** What ran: for the plan tests (EXPLAIN QUERY PLAN) and the bench. */
  plan: { count: 'tally' | Sql; page: Sql | null; shape: PlanShape };
}

type Params = Record<string, string | number | null>;

interface Driver {
  shape: Exclude<PlanShape, 'walk' | 'facet'>;
  /** Candidates it reads. */
  rows: number;
  from: string;
  where: string[];
  params: Params;
}

/**
 * One window of the devices `actorId` may see that match `request.filter`, sorted, and how
 * many match. `window.after` is a cursor from an earlier answer with the same sort: the window
 * then starts right after that row, and `offset` is only the caller's count of rows before it.
 * Throws VALIDATION (field `window.after`) for a cursor of another sort or not from Steward.
 * `force` picks a shape instead of the cheapest when it applies (tests hold every shape to
 * the same answer).
 */
export function listDevices(db: Db, actorId: string, request: ListRequest, force?: PlanShape): ListAnswer {
  const filter = request.filter ?? {};
  const sort = request.sort ?? { column: 'name', direction: 'asc' };
  const window = request.window ?? { offset: 0, limit: 100 };
  const spec = SORTS[sort.column];
  const cursor = window.after === undefined ? null : readCursor(window.after, sort, spec.keys.length);
  const counted = countMatching(db, actorId, filter);
  if (!counted || counted.total === 0)
    return { total: 0, ids: [], rowids: [], after: null, plan: { count: counted?.count ?? 'tally', page: null, shape: 'walk' } };
  const { reach, where, params, needsGroup, fleet, drivers, tallied, total, count } = counted;

  // Walk, facet walks or drive, whichever passes over fewest rows.
  const skip = cursor ? 0 : window.offset;
  const wanted = skip + window.limit;
  const covered = coversFilter(spec.holds, reach, filter);
  const stepCost = covered ? COST.step : COST.tableStep;
  const options: Array<{ cost: number; page: () => Sql; shape: PlanShape }> = [
    {
      cost: ((wanted * Math.max(fleet.total, 1)) / total) * stepCost,
      shape: 'walk',
      page: () =>
        windowed(spec, sort.direction, cursor, {
          from: spec.groupsFirst ? spec.walk : withGroups(spec.walk, needsGroup),
          where,
          params,
          limit: window.limit,
          skip,
        }),
    },
  ];
  const facet = facetPlan(spec, filter, tallied?.rows ?? null, fleet.rows, total, wanted);
  if (facet) {
    options.push({
      cost: facet.cost * (coversFilter(new Set(['status', 'kind', 'os']), reach, filter) ? COST.step : COST.tableStep),
      shape: 'facet',
      page: () => facetPage(spec, sort.direction, cursor, facet, { from: '', where, params, limit: window.limit, skip }, needsGroup),
    });
  }
  for (const driver of drivers) {
    options.push({
      cost: driver.rows * COST.candidate,
      shape: driver.shape,
      page: () => drivenPage(spec, sort.direction, cursor, driver, { where, params, limit: window.limit, skip }, needsGroup),
    });
  }
  const best = options.find((o) => o.shape === force) ?? options.reduce((a, b) => (b.cost < a.cost ? b : a));
  const page = best.page();
  const rows = stmt<Params, Params & { id: string; rid: number }>(db, page.sql).all(page.params);
  const last = rows[rows.length - 1];
  const more = last !== undefined && rows.length === window.limit;
  return {
    total,
    ids: rows.map((r) => r.id),
    rowids: rows.map((r) => r.rid),
    after: more
      ? writeCursor(
          sort,
          spec.keys.map((_, i) => last[`c${i}`] ?? null),
        )
      : null,
    plan: { count, page, shape: best.shape },
  };
}

/**
 * How many devices `actorId` may see that match `filter`: from the tallies when the filter
 * uses only kind, OS, status and group, else counted over the fewest candidates (the trigram
 * index, a person's assignments, a subtree's groups, one column's values). Cost follows the
 * matches or the candidates, not the fleet, except for a filter on assignment alone, which
 * is counted along the name index.
 */
export function countDevices(db: Db, actorId: string, filter: DeviceFilter): number {
  return countMatching(db, actorId, filter)?.total ?? 0;
}

interface Counted {
  reach: DeviceReach;
  where: string[];
  params: Params;
  needsGroup: boolean;
  fleet: { total: number; rows: DeviceTallyRow[] };
  drivers: Driver[];
  tallied: { total: number; rows: DeviceTallyRow[] } | null;
  total: number;
  count: ListAnswer['plan']['count'];
}

/** The count, and what the window's plan reuses; null when the subject may see no device at all. */
function countMatching(db: Db, actorId: string, filter: DeviceFilter): Counted | null {
  const reach = deviceReach(db, actorId, 'devices.view');
  if (!reach.known || (reach.scope.size === 0 && reach.assigned.size === 0)) return null;
  const visibility = scopeSql(reach, 'vis');
  const conditions = filterConditions(filter);
  const where = [...(visibility.sql === '(1)' ? [] : [visibility.sql]), ...conditions.parts];
  const params: Params = { ...visibility.params, ...conditions.params };
  // Only a kind-limited reach tests the group's kind (no device permission is, seed 001).
  const needsGroup = reach.kinds !== null;
  const fleet = subtreeTally(db, reach.root ? [reach.root] : []);
  const drivers = candidateDrivers(db, reach, filter, fleet.rows);
  const tallied = tallyMatching(db, actorId, filter);
  if (tallied) return { reach, where, params, needsGroup, fleet, drivers, tallied, total: tallied.total, count: 'tally' };
  const fewest = drivers[0];
  const onlyText = fewest?.shape === 'text' && where.length === 1 && reachesAll(reach);
  const count: Sql = onlyText
    ? { sql: CONTAINS_COUNT, params: fewest.params }
    : {
        sql: `SELECT count(*) AS n FROM ${fewest ? driverFrom(fewest, false, needsGroup) : withGroups('devices d INDEXED BY devices_by_name', needsGroup)} WHERE ${conjunction([...(fewest?.where ?? []), ...where])}`,
        params: { ...params, ...(fewest?.params ?? {}) },
      };
  // A name filter alone is counted by the very statement that sized its driver: not run twice.
  const total = onlyText ? fewest.rows : (stmt<Params, { n: number }>(db, count.sql).get(count.params)?.n ?? 0);
  return { reach, where, params, needsGroup, fleet, drivers, tallied: null, total, count };
}

/** Whether every column the filter and the reach test is in the walked index (or tested through another table anyway). */
function coversFilter(holds: ReadonlySet<string>, reach: DeviceReach, filter: DeviceFilter): boolean {
  const needs: string[] = [];
  if (!reachesAll(reach) || filter.groupId) needs.push('group_id');
  if (filter.kinds?.length) needs.push('kind');
  if (filter.os?.length) needs.push('os');
  if (filter.statuses?.length) needs.push('status');
  return needs.every((c) => holds.has(c));
}

/** Every index that could give the candidates instead of a walk, fewest candidates first. */
function candidateDrivers(db: Db, reach: DeviceReach, filter: DeviceFilter, fleet: readonly DeviceTallyRow[]): Driver[] {
  const out: Driver[] = [];
  const text = filter.text ?? '';
  if (text !== '' && indexableText(text)) {
    const params = containsParams(text);
    const rows = stmt<Params, { n: number }>(db, CONTAINS_COUNT).get(params)?.n ?? 0;
    out.push({ shape: 'text', rows, from: `(${CONTAINS_ROWIDS}) m CROSS JOIN devices d ON d.rowid = m.r`, where: [], params });
  }
  const holders = [...(reach.scope.size === 0 ? [reach.subjectId] : []), ...(filter.assigneeId ? [filter.assigneeId] : [])];
  for (const holder of holders) {
    const rows = stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM device_assignments WHERE user_id = ?').get(holder)?.n ?? 0;
    out.push({
      shape: 'held',
      rows,
      from: 'device_assignments h CROSS JOIN devices d ON d.id = h.device_id',
      where: ['h.user_id = @heldBy'],
      params: { heldBy: holder },
    });
  }
  const roots = filter.groupId ? [filter.groupId] : reachesAll(reach) ? [] : outermost(db, [...reach.scope, ...reach.assigned]);
  if (roots.length > 0 && !roots.includes(reach.root)) {
    out.push({
      shape: 'groups',
      rows: subtreeTally(db, roots).total,
      from: 'group_closure c CROSS JOIN devices d INDEXED BY devices_group_name ON d.group_id = c.descendant',
      where: ['c.ancestor IN (SELECT value FROM json_each(@driverRoots))'],
      params: { driverRoots: JSON.stringify(roots) },
    });
  }
  for (const [column, values] of facetLists(filter)) {
    const wanted = new Set<string>(values);
    // The filter's own condition on this column (filterConditions) is what the index seeks on.
    out.push({
      shape: 'column',
      rows: fleet.reduce((n, r) => n + (wanted.has(r[column]) ? r.count : 0), 0),
      from: `devices d INDEXED BY devices_by_${column}`,
      where: [],
      params: {},
    });
  }
  return out.sort((a, b) => a.rows - b.rows);
}

const facetLists = (filter: DeviceFilter): Array<[FacetColumn, readonly string[]]> =>
  (
    [
      ['status', filter.statuses],
      ['kind', filter.kinds],
      ['os', filter.os],
    ] as Array<[FacetColumn, readonly string[] | undefined]>
  ).flatMap(([c, v]) => (v?.length ? [[c, [...new Set(v)]] as [FacetColumn, readonly string[]]] : []));

interface FacetPlan {
  column: FacetColumn;
  index: string;
  values: string[];
  cost: number;
}

/**
 * The cheapest facet walk for this sort and filter, if any: per value, the rows of that
 * value passed over to find its share of the window (at most all of them). Matches per
 * value come from the tallies when the filter is theirs, else are assumed in proportion.
 */
function facetPlan(
  spec: SortSpec,
  filter: DeviceFilter,
  matched: readonly DeviceTallyRow[] | null,
  fleet: readonly DeviceTallyRow[],
  total: number,
  wanted: number,
): FacetPlan | null {
  let best: FacetPlan | null = null;
  const keep = matchesFacets(filter);
  for (const [column, values] of facetLists(filter)) {
    const index = spec.facets[column];
    if (!index) continue;
    let cost = 0;
    const present: string[] = [];
    const all = fleet.filter((r) => values.includes(r[column])).reduce((n, r) => n + r.count, 0);
    for (const value of values) {
      const rows = fleet.filter((r) => r[column] === value).reduce((n, r) => n + r.count, 0);
      if (rows === 0) continue;
      const hits = matched
        ? matched.filter((r) => r[column] === value && keep(r)).reduce((n, r) => n + r.count, 0)
        : (total * rows) / Math.max(all, 1);
      if (matched && hits === 0) continue;
      present.push(value);
      cost += Math.min(rows, (wanted * rows) / Math.max(hits, 1));
    }
    if (present.length > 0 && (!best || cost < best.cost)) best = { column, index, values: present, cost };
  }
  return best;
}

interface Scan {
  from: string;
  where: readonly string[];
  params: Params;
  limit: number;
  skip: number;
}

const withGroups = (from: string, needsGroup: boolean) => (needsGroup ? `${from} CROSS JOIN groups g ON g.id = d.group_id` : from);

function driverFrom(driver: Driver, sortByGroup: boolean, needsGroup: boolean): string {
  return withGroups(driver.from, sortByGroup || needsGroup);
}

const conjunction = (parts: readonly string[]) => (parts.length === 0 ? '1' : parts.join(' AND '));
const orderTerm = (key: Key) => (key.nocase ? `${key.expr} COLLATE NOCASE` : key.expr);
const columns = (spec: SortSpec) => `d.id AS id, d.rowid AS rid, ${spec.keys.map((k, i) => `${k.expr} AS c${i}`).join(', ')}`;
const resultOrder = (spec: SortSpec, dir: string) => spec.keys.map((k, i) => `c${i}${k.nocase ? ' COLLATE NOCASE' : ''} ${dir}`).join(', ');

/**
 * The rows of `scan` in the sort's order, `skip` of them passed over, at most `limit`. With a
 * cursor, the rows after it as the union of one index range per key (equal on the keys before
 * it, after it on this one), which SQLite merges in order reading only what the window takes;
 * a single row-value comparison would not start the index walk where the cursor is.
 */
function windowed(spec: SortSpec, direction: 'asc' | 'desc', cursor: Cursor | null, scan: Scan): Sql {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const limits = { limit: scan.limit, ...(cursor ? {} : { skip: scan.skip }) };
  if (!cursor) {
    return {
      sql:
        `SELECT ${columns(spec)} FROM ${scan.from} WHERE ${conjunction(scan.where)} ` +
        `ORDER BY ${spec.keys.map((k) => `${orderTerm(k)} ${dir}`).join(', ')} LIMIT @limit OFFSET @skip`,
      params: { ...scan.params, ...limits },
    };
  }
  const op = direction === 'desc' ? '<' : '>';
  const arms = spec.keys.map((_, i) => {
    const equal = spec.keys.slice(0, i).map((k, j) => `${orderTerm(k)} = @after${j}`);
    return `SELECT ${columns(spec)} FROM ${scan.from} WHERE ${conjunction([...scan.where, ...equal, `${orderTerm(spec.keys[i] as Key)} ${op} @after${i}`])}`;
  });
  return {
    sql: `${arms.reverse().join(' UNION ALL ')} ORDER BY ${resultOrder(spec, dir)} LIMIT @limit`,
    params: { ...scan.params, ...cursorParams(cursor), ...limits },
  };
}

/** One walk per value of the facet column, each taking at most the rows the window could need, merged in the sort's order. */
function facetPage(
  spec: SortSpec,
  direction: 'asc' | 'desc',
  cursor: Cursor | null,
  facet: FacetPlan,
  scan: Scan,
  needsGroup: boolean,
): Sql {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const from = withGroups(`devices d INDEXED BY ${facet.index}`, needsGroup);
  const params: Params = { ...scan.params, limit: scan.limit, ...(cursor ? {} : { skip: scan.skip }) };
  const arms = facet.values.map((value, i) => {
    params[`facet${i}`] = value;
    const arm = windowed(spec, direction, cursor, {
      from,
      where: [...scan.where, `d.${facet.column} = @facet${i}`],
      params: {},
      limit: 0,
      skip: 0,
    });
    // Each value's walk stops once it holds every row the window could take from it.
    Object.assign(params, arm.params, { limit: scan.limit, armLimit: scan.skip + scan.limit, skip: scan.skip });
    return `SELECT * FROM (${arm.sql.replace(/LIMIT @limit( OFFSET @skip)?$/, 'LIMIT @armLimit')})`;
  });
  if (cursor) delete params.skip;
  return {
    sql: `${arms.join(' UNION ALL ')} ORDER BY ${resultOrder(spec, dir)} LIMIT @limit${cursor ? '' : ' OFFSET @skip'}`,
    params,
  };
}

/** The driver's candidates, tested and sorted; a cursor is one row-value comparison among them. */
function drivenPage(
  spec: SortSpec,
  direction: 'asc' | 'desc',
  cursor: Cursor | null,
  driver: Driver,
  scan: Omit<Scan, 'from'>,
  needsGroup: boolean,
): Sql {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const seek = cursor
    ? [`(${spec.keys.map(orderTerm).join(', ')}) ${dir === 'DESC' ? '<' : '>'} (${spec.keys.map((_, i) => `@after${i}`).join(', ')})`]
    : [];
  return {
    sql:
      `SELECT ${columns(spec)} FROM ${driverFrom(driver, spec.groupsFirst, needsGroup)} ` +
      `WHERE ${conjunction([...driver.where, ...scan.where, ...seek])} ` +
      `ORDER BY ${spec.keys.map((k) => `${orderTerm(k)} ${dir}`).join(', ')} LIMIT @limit${cursor ? '' : ' OFFSET @skip'}`,
    params: {
      ...scan.params,
      ...driver.params,
      ...(cursor ? cursorParams(cursor) : {}),
      limit: scan.limit,
      ...(cursor ? {} : { skip: scan.skip }),
    },
  };
}

type Cursor = Array<string | number | null>;

const cursorParams = (cursor: Cursor): Params => Object.fromEntries(cursor.map((v, i) => [`after${i}`, v]));

interface CursorBody {
  /** Sort column and direction the cursor belongs to. */
  s: string;
  v: Cursor;
}

function writeCursor(sort: { column: DeviceSort; direction: 'asc' | 'desc' }, values: Cursor): string {
  const body: CursorBody = { s: `${sort.column}:${sort.direction}`, v: values };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function readCursor(text: string, sort: { column: DeviceSort; direction: 'asc' | 'desc' }, size: number): Cursor {
  const refuse = (why: string) => new OpError('VALIDATION', `window.after: ${why}`, { field: 'window.after' });
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse('not a cursor from an earlier answer of devices.list');
  }
  const b = body as Partial<CursorBody> | null;
  if (
    typeof b !== 'object' ||
    b === null ||
    typeof b.s !== 'string' ||
    !Array.isArray(b.v) ||
    b.v.length !== size ||
    // A key is never NULL: the backup order compares NEVER in its place.
    !b.v.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  )
    throw refuse('not a cursor from an earlier answer of devices.list');
  if (b.s !== `${sort.column}:${sort.direction}`)
    throw refuse(`the cursor belongs to another sort (${b.s.replace(':', ' ')}); start again from offset 0 for this one`);
  return b.v;
}
