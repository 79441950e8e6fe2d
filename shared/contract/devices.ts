import { z } from 'zod';
import { op } from './define';
import type { WhoCanAnswer } from './access';
import { entityId } from './fields';

/** Issue 6 and seed 000: the device inventory, assignment to members, and bulk jobs. */

export const DEVICE_KINDS = ['workstation', 'server', 'storage', 'cloud_tenant'] as const;
export const DEVICE_STATUSES = ['ok', 'warning', 'failed', 'offline', 'never'] as const;
export const DEVICE_SORTS = ['name', 'kind', 'os', 'status', 'lastBackupAt', 'group'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  workstation: 'Workstation',
  server: 'Server',
  storage: 'Storage',
  cloud_tenant: 'Cloud tenant',
};
export const DEVICE_STATUS_LABELS: Record<DeviceStatus, string> = {
  ok: 'OK',
  warning: 'Warning',
  failed: 'Failed',
  offline: 'Offline',
  never: 'Never backed up',
};

/** The most devices one direct assign/unassign call takes; larger selections go through a bulk job. */
export const DIRECT_ASSIGN_MAX = 1000;
/** The most members one assignment or job takes. */
export const ASSIGN_MEMBERS_MAX = 50;
/** The most explicitly picked devices a bulk job takes; beyond that, select "all matching" a filter. */
export const BULK_IDS_MAX = 100_000;
/** The most devices "all matching, except these" may leave out; beyond that, a narrower filter says it better. */
export const BULK_EXCEPT_MAX = 5_000;
/** An import file: at most this many rows, and this many characters of text. */
export const IMPORT_ROWS_MAX = 100_000;
export const IMPORT_CHARS_MAX = 32 * 1024 * 1024;
/** The columns of an import (and of an export), in their usual order. */
export const IMPORT_COLUMNS = ['name', 'kind', 'os', 'status', 'lastBackupAt', 'group'] as const;
export const DEVICE_NAME_MAX = 120;
export const DEVICE_OS_MAX = 80;

/** A member holding a device. Only members the caller may see (users.view) are listed, plus the caller. */
export interface DeviceAssignee {
  userId: string;
  username: string;
  fullName: string;
}

export interface DeviceRow {
  id: string;
  name: string;
  kind: DeviceKind;
  os: string;
  status: DeviceStatus;
  /** Epoch milliseconds; null when never backed up. */
  lastBackupAt: number | null;
  groupId: string;
  groupName: string;
  assignees: DeviceAssignee[];
  /** The caller holds devices.assign on this device (decide(), same rule as the server's check). */
  canAssign: boolean;
}

export interface DeviceDetail extends DeviceRow {
  /** The owning group's path, from the highest group the caller may see down (breadcrumb; issue 15, finding 4). */
  groupPath: Array<{ id: string; name: string }>;
  createdAt: number;
  updatedAt: number;
  /** Why canAssign is false, in words for a tooltip. */
  assignReason: string | null;
  /** Who sees this device (devices.view): the same answer as Access › Who can, from the same function (issue 15, finding 2). */
  seenBy: WhoCanAnswer;
}

const epochMs = z.number().int().min(-8_640_000_000_000_000).max(8_640_000_000_000_000);

/** The same filter serves the grid, its count, the export and "all N matching" bulk selections. */
export const deviceFilterSchema = z
  .object({
    /** Case-insensitive substring of the device name. */
    text: z.string().trim().max(120, 'Search text must be at most 120 characters').optional(),
    kinds: z.array(z.enum(DEVICE_KINDS)).max(DEVICE_KINDS.length).optional(),
    /** Exact OS values, as devices.facets lists them. */
    os: z.array(z.string().max(DEVICE_OS_MAX)).max(100, 'At most 100 OS values').optional(),
    statuses: z.array(z.enum(DEVICE_STATUSES)).max(DEVICE_STATUSES.length).optional(),
    /** Devices owned by this group or anywhere below it. */
    groupId: entityId.optional(),
    /** 'assigned' = at least one member holds it; 'unassigned' = nobody does. */
    assignment: z.enum(['assigned', 'unassigned', 'any']).optional(),
    /** Devices held by this member (the member page). The member must be visible to the caller, or be the caller. */
    assigneeId: entityId.optional(),
    /** Last backup at or after this moment (epoch ms); the dashboard's freshness buckets link with these bounds. */
    backedUpFrom: epochMs.optional(),
    /** Last backup before this moment (epoch ms). A device never backed up matches neither bound. */
    backedUpBefore: epochMs.optional(),
    /** Only devices without a last backup time. With a bound as well, nothing matches. */
    neverBackedUp: z.literal(true).optional(),
  })
  .strict();
export type DeviceFilter = z.infer<typeof deviceFilterSchema>;

const sortSchema = z.object({ column: z.enum(DEVICE_SORTS), direction: z.enum(['asc', 'desc']) }).strict();
const windowSchema = z
  .object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500, 'A window holds at most 500 rows') })
  .strict();
/**
 * The grid's window. `after` continues from a cursor an earlier answer gave (keyset paging,
 * for scrolling or paging on): the rows right after that row in the same sort, read without
 * stepping over the ones before it; `offset` is then only the caller's own count of the rows
 * before the window, echoed back.
 */
const listWindowSchema = windowSchema
  .extend({ after: z.string().min(1).max(2000, 'A cursor is at most 2,000 characters').optional() })
  .strict();

export interface DeviceListOutput {
  /** Every device matching the filter that the caller may see: "12,408 devices match". */
  total: number;
  offset: number;
  rows: DeviceRow[];
  /** Pass as `window.after` (same filter and sort) for the rows after this window; null when no row follows it. */
  after: string | null;
  /** Whether the caller holds devices.assign anywhere, and if not, why (for the disabled assign action's tooltip). */
  assign: { allowed: boolean; reason: string | null };
  /** Whether the caller holds devices.manage anywhere (the import action). */
  manage: { allowed: boolean; reason: string | null };
}

export interface FacetValue<T extends string = string> {
  value: T;
  count: number;
}

/**
 * The filter menus' values with counts (issue 15, finding 6), over the devices the caller may
 * see (R4). Counts are cross-filtered: each facet's counts apply every condition of the filter
 * except the facet's own, so a count is what choosing that value (as well) would add, and a
 * value is never offered with a count that the other filters would turn into nothing.
 * - `os`: every OS among the devices matching the filter's kinds, statuses and the rest (not its os);
 * - `kinds`: likewise without the kinds condition; `statuses` without the statuses condition;
 * - `total`: the devices matching the whole filter (what devices.list counts).
 * Values are listed once each, most devices first, then by value; a value with no device is left out.
 */
export interface DeviceFacets {
  os: FacetValue[];
  kinds: Array<FacetValue<DeviceKind>>;
  statuses: Array<FacetValue<DeviceStatus>>;
  total: number;
}

export interface ImportRejection {
  /** CSV: the line in the file (the header is line 1). JSON: the 1-based position in the array. 0: the whole file. */
  line: number;
  /** The column the problem is in; '' for the whole row or file. */
  field: string;
  reason: string;
}

export interface ImportReport {
  /** Rows that passed every check. */
  accepted: number;
  /** Rows refused in total: a row with several problems counts once. */
  rejectedTotal: number;
  /** Problems found in total, one or more per refused row. */
  problemTotal: number;
  /** The problems, at most 1,000 of them, in file order. */
  rejected: ImportRejection[];
  /** Rows written: 0 on a dry run, or when mode is all-or-nothing and anything was refused. */
  imported: number;
  dryRun: boolean;
  mode: 'all-or-nothing' | 'good-rows';
}

/**
 * Which devices a bulk job acts on: picked rows, or every device matching a filter that the caller may see,
 * less the rows unticked after selecting "all matching" (exceptIds).
 */
export const bulkSelectionSchema = z
  .union([
    z.object({ deviceIds: z.array(entityId).min(1, 'Pick at least one device').max(BULK_IDS_MAX) }).strict(),
    // The exceptions' own limit is checked below: inside a union an oversized list reads only as "matches no form".
    z.object({ filter: deviceFilterSchema, exceptIds: z.array(entityId).max(BULK_IDS_MAX).optional() }).strict(),
  ])
  .superRefine((selection, ctx) => {
    if ('filter' in selection && (selection.exceptIds?.length ?? 0) > BULK_EXCEPT_MAX)
      ctx.addIssue({
        code: 'custom',
        path: ['exceptIds'],
        message: `At most ${BULK_EXCEPT_MAX.toLocaleString('en')} devices can be left out of "all matching"; narrow the filter instead`,
      });
  });
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

/**
 * Why a (device, member) pair is left alone:
 * - device-not-found: a picked device does not exist or the caller may not see it;
 * - device-out-of-scope: the caller lacks devices.assign on the device;
 * - member-not-visible: the caller may not see the member (users.view);
 * - member-outside-company: none of the member's role bindings reaches the device's group;
 * - member-cannot-hold: the member's roles reaching the device grant no devices.view, so holding it would show them nothing;
 * - member-holds-more: the member holds rights at the device's groups that the actor does not (R7, dominance):
 *   assigning or taking away their devices is acting on them;
 * - starter-lost-authority: (jobs only) the job's starter lost a right it needs on this device or a member while the job
 *   ran (devices.view, devices.assign, users.view), so the job stopped there and refused this device and every one after it.
 * Unassigning never refuses for member-outside-company and member-cannot-hold: taking a device away is always possible.
 */
export const REFUSAL_REASONS = [
  'device-not-found',
  'device-out-of-scope',
  'member-not-visible',
  'member-outside-company',
  'member-cannot-hold',
  'member-holds-more',
  'starter-lost-authority',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface RefusalCount {
  reason: RefusalReason;
  /** The reason in words, for the dry-run dialog. */
  message: string;
  /** Pairs (device × member) refused for this reason. */
  count: number;
  /**
   * Whom: each member refused for this reason, with the pairs (that is, devices) refused for them, in the job's
   * member order. Names of members the reader may not see read "(not visible to you)".
   */
  members: Array<{ userId: string; username: string; count: number }>;
}

export type BulkAction = 'assign' | 'unassign';

/** Counts are of (device × member) pairs unless named devices. */
export interface BulkCounts {
  /** Pairs that will be (or were) assigned, or unassigned. */
  willChange: number;
  /** Pairs already in the wanted state: already assigned (assign) or not assigned (unassign). */
  unchanged: number;
  refused: RefusalCount[];
  /** Devices with at least one pair changed. */
  devicesChanged: number;
}

export interface BulkPlan extends BulkCounts {
  action: BulkAction;
  /** Devices selected (for a filter: matching and visible to the caller). */
  devices: number;
  members: Array<{ userId: string; username: string }>;
  pairs: number;
}

export const JOB_STATES = ['queued', 'running', 'cancelling', 'cancelled', 'done', 'rolling_back', 'rolled_back', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobInfo {
  id: string;
  action: BulkAction;
  /**
   * queued → running → done; cancel: running → cancelling → cancelled (devices done stay done);
   * undo: done/cancelled/failed → rolling_back → rolled_back. After a crash a running job resumes where it
   * stopped, unless its starter can no longer assign devices: then it is rolled back. failed: stopped
   * before the end, by an internal error or because its starter lost a right the job needs (the note says
   * which; in the second case every device from the stop on is refused with starter-lost-authority).
   */
  state: JobState;
  /** "OS is Windows 11, status failed" or "42 picked devices": what was selected, in words. */
  selection: string;
  members: Array<{ userId: string; username: string }>;
  /**
   * Devices selected. While `planning`, the count of the devices matching when the job was
   * started; then the devices the job's own dry run selected.
   */
  total: number;
  /** Devices processed so far. */
  processed: number;
  /** The job is still making its own dry run (state queued): `planned` grows until it has. */
  planning: boolean;
  /** The job's dry run, made as it starts: what it expects to change, find unchanged and refuse. */
  planned: BulkCounts;
  /** What has actually happened so far. */
  counts: BulkCounts;
  /** While rolling back and after: devices to restore (those the job changed), restored so far, and left alone. */
  undo: { total: number; restored: number; skipped: number } | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  undoneAt: number | null;
  by: { userId: string | null; username: string };
  /** Why the job stopped, failed, resumed or rolled back by itself; what an undo could not restore. */
  note: string | null;
  canCancel: boolean;
  canUndo: boolean;
}

export type JobItemStatus = 'changed' | 'unchanged' | 'refused';

export interface JobResultRow {
  /** Order of processing, from 1. */
  seq: number;
  deviceId: string;
  /** null when the device has been removed since. */
  deviceName: string | null;
  groupName: string | null;
  status: JobItemStatus;
  /** Members whose pair with this device changed. */
  changed: Array<{ userId: string; username: string }>;
  unchanged: number;
  refused: Array<{ userId: string; username: string; reason: RefusalReason; message: string }>;
  /** The job's undo has restored this device. */
  undone: boolean;
}

const bulkInput = z
  .object({
    selection: bulkSelectionSchema,
    userIds: z.array(entityId).min(1, 'Pick at least one member').max(ASSIGN_MEMBERS_MAX, `At most ${ASSIGN_MEMBERS_MAX} members at once`),
    action: z.enum(['assign', 'unassign']),
  })
  .strict();

const directAssign = z
  .object({
    deviceIds: z
      .array(entityId)
      .min(1, 'Pick at least one device')
      .max(DIRECT_ASSIGN_MAX, `At most ${DIRECT_ASSIGN_MAX} devices at once; use a bulk job for more`),
    userIds: z.array(entityId).min(1, 'Pick at least one member').max(ASSIGN_MEMBERS_MAX, `At most ${ASSIGN_MEMBERS_MAX} members at once`),
  })
  .strict();

const jobId = z.object({ jobId: entityId }).strict();

export const devicesContract = {
  /** The grid: one window of the filtered, sorted devices the caller may see, and the total count. Needs devices.view somewhere. */
  'devices.list': op<DeviceListOutput>()({
    input: z
      .object({
        filter: deviceFilterSchema.optional(),
        sort: sortSchema.optional(),
        window: listWindowSchema.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'VALIDATION'],
  }),
  /** Values for the filter menus, with cross-filtered counts of visible devices (DeviceFacets). */
  'devices.facets': op<DeviceFacets>()({
    input: z.object({ filter: deviceFilterSchema.optional() }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND'],
  }),
  /** One device and its assignees (the device page). NOT_FOUND when it does not exist or the caller may not see it. */
  'devices.get': op<DeviceDetail>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND'],
  }),
  /**
   * CSV (header row of IMPORT_COLUMNS; lastBackupAt ISO 8601 or empty; group as its id or its path of names
   * joined by " / ", a unique tail of the path is enough) or JSON (an array of objects with those keys).
   * Needs devices.manage on each row's group. Always answers with a report; changes nothing on a dry run, or
   * when mode is all-or-nothing and any row was refused. A dry run is audited as `devices.import.dryRun`.
   */
  'devices.import': op<ImportReport>()({
    input: z
      .object({
        format: z.enum(['csv', 'json']),
        content: z.string().max(IMPORT_CHARS_MAX, `The file must be at most ${IMPORT_CHARS_MAX / 1024 / 1024} MiB`),
        mode: z.enum(['all-or-nothing', 'good-rows']),
        dryRun: z.boolean().optional(),
        /** Rows without a group column (or with it empty) go here. */
        defaultGroupId: entityId.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  /** The visible devices matching a filter, in the import's CSV or JSON format (audited). */
  'devices.export': op<{ content: string; filename: string; rows: number }>()({
    input: z
      .object({
        filter: deviceFilterSchema.optional(),
        format: z.enum(['csv', 'json']),
        /** CSV only: start the file with a UTF-8 byte order mark, so spreadsheet programs read its names right. */
        bom: z.boolean().optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
  /** Assigns each device to each member, all or nothing: any refused pair refuses the call (FORBIDDEN, naming it). */
  'devices.assign': op<{ changed: number; unchanged: number }>()({
    input: directAssign,
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'devices.unassign': op<{ changed: number; unchanged: number }>()({
    input: directAssign,
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  /** The dry run of a bulk job: what would change, what is already so, what is refused and why. Writes nothing. */
  'devices.bulkPlan': op<BulkPlan>()({ input: bulkInput, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  /**
   * Starts a bulk job and answers at once, whatever the selection's size: the job plans itself in its
   * first steps (`planning`, its planned counts in the step that ends planning), and every pair is
   * checked again as it is applied. Follow it with devices.jobGet. One audit event from the person per
   * job, carrying its id, selection, devices and members.
   */
  'devices.bulkAssign': op<JobInfo>()({ input: bulkInput, audience: ['active'], kind: 'command', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  /** A job's state and counts. Jobs are visible to their starter and to whoever may assign every device at the starter's home group. */
  'devices.jobGet': op<JobInfo>()({ input: jobId, audience: ['active'], kind: 'query', errors: ['NOT_FOUND'] }),
  /** The per-device result list, in processing order, windowed. */
  'devices.jobResults': op<{ total: number; offset: number; rows: JobResultRow[] }>()({
    input: z
      .object({
        jobId: entityId,
        status: z.enum(['changed', 'unchanged', 'refused']).optional(),
        window: windowSchema.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND'],
  }),
  /** Stops a queued or running job after the current chunk; devices already processed stay processed (undo them with jobUndo). */
  'devices.jobCancel': op<JobInfo>()({ input: jobId, audience: ['active'], kind: 'command', errors: ['NOT_FOUND', 'CONFLICT'] }),
  /**
   * Reverses exactly the pairs the job changed (assigned pairs are removed, unassigned pairs restored), as a
   * background rollback; later changes made by others are kept. Only for done or cancelled jobs, once.
   */
  'devices.jobUndo': op<JobInfo>()({ input: jobId, audience: ['active'], kind: 'command', errors: ['NOT_FOUND', 'CONFLICT', 'FORBIDDEN'] }),
  /** Recent jobs the caller may see, newest first. */
  'devices.jobs': op<{ jobs: JobInfo[] }>()({
    input: z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
} as const;
