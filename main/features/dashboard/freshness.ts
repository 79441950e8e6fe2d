import { FRESHNESS_BUCKETS, freshnessFilter, type DeviceStatus, type FreshnessBucket } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { NEVER_HOUR } from '../../db/migrations/036-dashboard-aggregates';
import { stmt } from '../../db/statements';
import { HELD_ELSEWHERE } from '../devices/aggregates';

/**
 * The dashboard's freshness figures from the per-group backup-hour aggregates of migration 36
 * (issue 18, R30, R33): no device is read for a subtree the caller sees whole, and devices
 * seen only because they are assigned to the caller are read from the caller's own
 * assignments (work in proportion to what they hold), as the tallies do (aggregates.ts).
 * Exact only for an `asOf` on a whole hour (dashboardAsOf): then every bucket edge of
 * freshnessFilter falls on an hour boundary and each bucket is a sum of whole rows.
 */

const HOUR_MS = 3_600_000;

export type FreshnessCounts = Record<FreshnessBucket, number>;

export const zeroFreshness = (): FreshnessCounts => Object.fromEntries(FRESHNESS_BUCKETS.map((b) => [b, 0])) as FreshnessCounts;

/** The hours (floor(ms / 1 h)) of the bucket edges of freshnessFilter at `asOf`: from 24 h, 72 h and 7 days back. */
function edges(asOf: number): { h24: number; h72: number; h168: number } {
  if (asOf % HOUR_MS !== 0) throw new Error(`freshness from the aggregates needs asOf on a whole hour, got ${asOf}`);
  const hourOf = (bucket: FreshnessBucket) => (freshnessFilter(bucket, asOf).backedUpFrom ?? 0) / HOUR_MS;
  return { h24: hourOf('day'), h72: hourOf('days3'), h168: hourOf('week') };
}

/**
 * The freshness buckets of every device in the subtrees `roots` (outermost groups, each
 * counted once: the caller has made them so), whose devices number `total` in all: the rows
 * from 7 days back on and the "never" row of each root; "over 7 days" is what is left.
 */
export function subtreeFreshness(db: Db, roots: readonly string[], total: number, asOf: number): FreshnessCounts {
  const out = zeroFreshness();
  if (roots.length === 0) return out;
  const e = edges(asOf);
  const row = stmt<
    Record<string, string | number>,
    { day: number | null; days3: number | null; week: number | null; never: number | null }
  >(
    db,
    `SELECT sum(n) FILTER (WHERE hour >= @h24) AS day, sum(n) FILTER (WHERE hour >= @h72 AND hour < @h24) AS days3,
       sum(n) FILTER (WHERE hour < @h72) AS week,
       (SELECT sum(n) FROM device_backup_hour WHERE group_id IN (SELECT value FROM json_each(@roots)) AND hour = ${NEVER_HOUR}) AS never
     FROM device_backup_hour WHERE group_id IN (SELECT value FROM json_each(@roots)) AND hour >= @h168`,
  ).get({ roots: JSON.stringify(roots), ...e });
  out.day = row?.day ?? 0;
  out.days3 = row?.days3 ?? 0;
  out.week = row?.week ?? 0;
  out.never = row?.never ?? 0;
  out.older = total - out.day - out.days3 - out.week - out.never;
  return out;
}

/** The failed, over-7-days and never-backed-up devices of each group's whole subtree (the ranked groups' figures). */
export interface StaleCounts {
  failed: number;
  older: number;
  never: number;
}

/**
 * For each group of `groupIds`, the failed, over 7 days and never figures of its whole subtree
 * as of `asOf`: the failed rows of its tally, its day rows before the 7-day edge's day and its
 * hour rows of that day before the edge, and its never row. A few dozen rows a group, read
 * by primary key ranges, whatever the fleet size. A group absent has none of the three.
 */
export function subtreeStale(db: Db, groupIds: readonly string[], asOf: number): Map<string, StaleCounts> {
  const out = new Map<string, StaleCounts>();
  if (groupIds.length === 0) return out;
  const { h168 } = edges(asOf);
  const edgeDay = Math.floor(h168 / 24);
  const params = { ids: JSON.stringify([...new Set(groupIds)]), edgeDay, edgeHour: edgeDay * 24, h168 };
  const within = 'group_id IN (SELECT value FROM json_each(@ids))';
  // One grouped range read per figure: correlated per-group subqueries were several times slower at 2,500 groups.
  const sums = (sql: string) => stmt<Record<string, string | number>, { id: string; n: number }>(db, sql).all(params);
  const counts = (id: string) => {
    let c = out.get(id);
    if (!c) out.set(id, (c = { failed: 0, older: 0, never: 0 }));
    return c;
  };
  for (const r of sums(`SELECT group_id AS id, sum(n) AS n FROM device_tally WHERE ${within} AND status = 'failed' GROUP BY 1`))
    counts(r.id).failed += r.n;
  // NEVER_HOUR is below every day: one range read gives the never row and the days before the edge's day.
  for (const r of stmt<Record<string, string | number>, { id: string; never: number | null; older: number | null }>(
    db,
    `SELECT group_id AS id, sum(n) FILTER (WHERE day = ${NEVER_HOUR}) AS never, sum(n) FILTER (WHERE day > ${NEVER_HOUR}) AS older
     FROM device_backup_day WHERE ${within} AND day < @edgeDay GROUP BY 1`,
  ).all(params)) {
    const c = counts(r.id);
    c.never += r.never ?? 0;
    c.older += r.older ?? 0;
  }
  for (const r of sums(
    `SELECT group_id AS id, sum(n) AS n FROM device_backup_hour WHERE ${within} AND hour >= @edgeHour AND hour < @h168 GROUP BY 1`,
  ))
    counts(r.id).older += r.n;
  return out;
}

/** Devices seen only because they are assigned to the subject, by own group, status and freshness bucket. */
export interface HeldRow {
  groupId: string;
  status: DeviceStatus;
  bucket: FreshnessBucket;
  n: number;
}

/**
 * The devices `held` (reachWithin's parameters for a subject with 'assigned' roles) names,
 * read from the subject's own assignments (work in proportion to what they hold), by own
 * group, status and bucket as of `asOf` (freshnessFilter's edges).
 */
export function heldFreshness(db: Db, held: Record<string, string | null>, asOf: number): HeldRow[] {
  const at = (bucket: FreshnessBucket) => freshnessFilter(bucket, asOf).backedUpFrom ?? 0;
  return stmt<Record<string, string | number | null>, HeldRow>(
    db,
    `SELECT d.group_id AS groupId, d.status AS status,
       CASE WHEN d.last_backup_at IS NULL THEN 'never' WHEN d.last_backup_at >= @dayFrom THEN 'day'
            WHEN d.last_backup_at >= @days3From THEN 'days3' WHEN d.last_backup_at >= @weekFrom THEN 'week' ELSE 'older' END AS bucket,
       count(*) AS n
     FROM device_assignments a CROSS JOIN devices d ON d.id = a.device_id
     WHERE a.user_id = @subject ${HELD_ELSEWHERE}
     GROUP BY 1, 2, 3`,
  ).all({ ...held, dayFrom: at('day'), days3From: at('days3'), weekFrom: at('week') });
}
