import { z } from 'zod';
import type { GroupKind } from '../access/groups';
import type { AuditEntry } from './audit';
import type { DeviceFilter, DeviceStatus } from './devices';
import { op } from './define';
import { entityId } from './fields';

/** Issue 18: the dashboard, the daily status history and the device timeline. */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * How recently a device was last backed up, as of a moment (`asOf`): under 24 hours, 1 to 3
 * days, 3 to 7 days, over 7 days, or never (no last backup time). A last backup after `asOf`
 * counts as under 24 hours.
 */
export const FRESHNESS_BUCKETS = ['day', 'days3', 'week', 'older', 'never'] as const;
export type FreshnessBucket = (typeof FRESHNESS_BUCKETS)[number];

export const FRESHNESS_LABELS: Record<FreshnessBucket, string> = {
  day: 'Under 24 hours',
  days3: '1–3 days',
  week: '3–7 days',
  older: 'Over 7 days',
  never: 'Never',
};

/**
 * A freshness bucket as the devices filter that lists exactly its devices (epoch ms bounds,
 * `backedUpFrom` inclusive and `backedUpBefore` exclusive). The dashboard counts with these
 * bounds and links with them, so a tile and its list cannot disagree.
 */
export function freshnessFilter(
  bucket: FreshnessBucket,
  asOf: number,
): Pick<DeviceFilter, 'backedUpFrom' | 'backedUpBefore' | 'neverBackedUp'> {
  const ago = (hours: number) => asOf - hours * HOUR_MS;
  switch (bucket) {
    case 'day':
      return { backedUpFrom: ago(24) };
    case 'days3':
      return { backedUpFrom: ago(72), backedUpBefore: ago(24) };
    case 'week':
      return { backedUpFrom: ago(168), backedUpBefore: ago(72) };
    case 'older':
      return { backedUpBefore: ago(168) };
    case 'never':
      return { neverBackedUp: true };
  }
}

export type StatusCounts = Record<DeviceStatus, number>;

/** A group with failed or stale devices (the fleet table, most first). Counts are of the devices the caller sees in its subtree. */
export interface GroupHealth {
  groupId: string;
  name: string;
  kind: GroupKind;
  /** Status failed. */
  failed: number;
  /** Last backup over 7 days before `asOf` (the `older` bucket). */
  older: number;
  /** Never backed up (no last backup time). */
  never: number;
}

export interface FleetHealth {
  /** Every device the caller sees (devices.list with no filter). */
  total: number;
  byStatus: StatusCounts;
  freshness: Record<FreshnessBucket, number>;
  /**
   * The end customers (or, where the caller sees no customer, the highest groups they see inside
   * one) with any failed or stale device, most failed + over 7 days + never first; at most 10.
   */
  groups: GroupHealth[];
  /** How many groups have failed or stale devices in all (groups holds the first 10). */
  groupsTotal: number;
}

export interface AccessHealth {
  /** Active people the caller sees (users.view), and how many of them have an authenticator. */
  activePeople: number;
  mfaEnrolled: number;
  /** The totals of the Access hygiene sections, counted by the same code. */
  withoutMfa: number;
  pendingInvitations: number;
  expiredInvitations: number;
  dormantAccounts: number;
  unassignedDevices: number;
  unusedRoles: number;
}

export interface CompanySeats {
  companyId: string;
  companyName: string;
  /** Members homed in the company (disabled ones too) plus pending invitations, as the seat limit counts them. */
  members: number;
  pending: number;
  used: number;
  /** Null: no limit. */
  limit: number | null;
}

export interface DashboardSummary {
  /**
   * The start of the hour the figures were counted in (epoch ms, a whole hour): freshness
   * buckets and their links are relative to it, so each bucket is an exact sum of the hourly
   * aggregates (migration 36, R33). The access figures are counted at the moment itself.
   */
  asOf: number;
  /** Null when the caller holds devices.view nowhere. */
  fleet: FleetHealth | null;
  /** Null when the caller holds users.view nowhere (as the Access hygiene screen). */
  access: AccessHealth | null;
  /** Companies where the caller sees people (users.view at the company), fullest first; at most 20. */
  seats: CompanySeats[];
  seatsTotal: number;
  /** The newest audit events the caller may read (audit.view); null when they may read none. */
  recent: AuditEntry[] | null;
  /** Groups where the caller may open historical charts (charts.view, the module available at the group's kind): their role bindings. */
  chartGroups: Array<{ id: string; name: string; kind: GroupKind }>;
}

export const HISTORY_RANGES = [30, 90] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

/** One day of a chart: the status counts at that day's snapshot (`at`), or now for the last point. */
export interface HistoryPoint {
  /** UTC day number (days since 1970-01-01). */
  day: number;
  at: number;
  counts: StatusCounts;
}

export interface DashboardHistory {
  groupId: string;
  groupName: string;
  days: HistoryRange;
  /**
   * `snapshots`: the caller sees every device in the group's subtree, so the daily snapshots
   * are read. `device-history`: they see only some (assigned devices, part of the subtree), so
   * the points are counted from the status history of those devices, at the same moments.
   */
  source: 'snapshots' | 'device-history';
  /** Days with a snapshot in the range, oldest first, then the present. */
  points: HistoryPoint[];
}

export interface StatusChange {
  id: number;
  at: number;
  status: DeviceStatus;
  lastBackupAt: number | null;
  /** Null on the device's first entry (added, or older than the history). */
  previousStatus: DeviceStatus | null;
  previousBackupAt: number | null;
}

export const dashboardContract = {
  /** Every figure of the dashboard, each counted by the rule of the list it links to (R33). */
  'dashboard.summary': op<DashboardSummary>()({
    input: z.object({}).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['FORBIDDEN'],
  }),
  /** Status counts per day over the group's subtree (seed 001: only where the Historical charts module exists). */
  'dashboard.history': op<DashboardHistory>()({
    input: z
      .object({
        groupId: entityId,
        days: z.union([z.literal(30), z.literal(90)], { error: 'A chart covers 30 or 90 days' }),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  /** A device's status timeline, newest first (R32). */
  'devices.statusHistory': op<{ changes: StatusChange[]; more: boolean }>()({
    input: z
      .object({
        id: entityId,
        /** Entries older than this entry (its id), for the next page. */
        beforeId: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND'],
  }),
} as const;
