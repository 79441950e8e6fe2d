import { z } from 'zod';
import { AUDIT_OUTCOMES } from './audit';
import { FRESHNESS_BUCKETS } from './dashboard';
import { op } from './define';
import { DEVICE_KINDS, DEVICE_OS_MAX, DEVICE_STATUSES } from './devices';
import { entityId, withoutInvisible } from './fields';

/**
 * Saved filters (issue 15, finding 8): a person keeps the filters of Devices and Audit under
 * names of their own, and applies one with a click. Each is the screen's form as the person
 * set it, so a relative period ("last 24 hours") stays relative when it is applied later.
 * They belong to their person: nobody else lists, applies or removes them.
 */

export const SAVED_FILTER_SCREENS = ['devices', 'audit'] as const;
export type SavedFilterScreen = (typeof SAVED_FILTER_SCREENS)[number];

/** The most filters one person keeps per screen. */
export const SAVED_FILTERS_MAX = 50;

const person = z
  .object({ id: entityId, username: z.string().max(64), fullName: z.string().max(200) })
  .strict()
  .nullable();

/** The Devices screen's filters, as its form holds them. */
export const savedDeviceFilter = z
  .object({
    text: z.string().max(120),
    kinds: z.array(z.enum(DEVICE_KINDS)).max(DEVICE_KINDS.length),
    os: z.array(z.string().max(DEVICE_OS_MAX)).max(100),
    statuses: z.array(z.enum(DEVICE_STATUSES)).max(DEVICE_STATUSES.length),
    groupId: entityId.nullable(),
    assignment: z.enum(['any', 'assigned', 'unassigned']),
    assignee: person,
    /** Last backup within a bucket; the bucket counts back from when the filter is applied, so `asOf` is kept only as it was saved. */
    backup: z
      .object({ bucket: z.enum(FRESHNESS_BUCKETS), asOf: z.number().int().nonnegative() })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

export const AUDIT_PERIODS = ['any', 'hour', 'day', 'week', 'between'] as const;

/** The Audit screen's filters, as its form holds them; `from` and `to` are local times (yyyy-mm-ddThh:mm) of a period between two times. */
export const savedAuditFilter = z
  .object({
    person,
    personMode: z.enum(['actor', 'member']),
    action: z.string().max(80),
    target: z.string().max(100),
    groupId: entityId.nullable(),
    period: z.enum(AUDIT_PERIODS),
    from: z.string().max(16),
    to: z.string().max(16),
    outcome: z.enum(['', ...AUDIT_OUTCOMES]),
  })
  .strict();

export const SAVED_FILTER_SCHEMAS = { devices: savedDeviceFilter, audit: savedAuditFilter } as const;
export type SavedFilterBody<S extends SavedFilterScreen> = z.infer<(typeof SAVED_FILTER_SCHEMAS)[S]>;

export interface SavedFilter {
  id: string;
  screen: SavedFilterScreen;
  name: string;
  filter: SavedFilterBody<'devices'> | SavedFilterBody<'audit'>;
  createdAt: number;
  updatedAt: number;
}

const filterName = withoutInvisible(z.string().trim().min(1, 'Name is required').max(60, 'Name must be at most 60 characters'), 'Name');

export const savedFiltersContract = {
  /** The caller's own saved filters of one screen, by name. */
  'filters.list': op<{ filters: SavedFilter[] }>()({
    input: z.object({ screen: z.enum(SAVED_FILTER_SCREENS) }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  /**
   * Saves the screen's filter under a name; a name the person already uses there (compared as
   * people read names, R24) is saved over. At most SAVED_FILTERS_MAX per screen (CONFLICT beyond).
   * The filter is checked against the screen's form, each problem named by its field (`filter.…`).
   */
  'filters.save': op<SavedFilter>()({
    input: z
      .object({ screen: z.enum(SAVED_FILTER_SCREENS), name: filterName, filter: z.unknown() })
      .strict()
      .superRefine((input, ctx) => {
        const parsed = SAVED_FILTER_SCHEMAS[input.screen].safeParse(input.filter);
        if (parsed.success) return;
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['filter', ...issue.path], message: issue.message });
      }),
    audience: ['active'],
    kind: 'command',
    errors: ['CONFLICT'],
  }),
  /** Removes one of the caller's saved filters; another person's, or an unknown id, is NOT_FOUND. */
  'filters.remove': op<{ removed: true }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
} as const;
