import { z } from 'zod';
import { GROUP_KINDS, type GroupKind } from '../access/groups';
import type { ModuleId } from '../access/modules';
import { op } from './define';
import { baseVersion, email, entityId, groupName, hexColor, isoDate, logoDataUrl, optionalEmail } from './fields';
import type { InvitationSent } from './invitations';

const kind = z.enum(GROUP_KINDS, { error: `Kind must be one of: ${GROUP_KINDS.join(', ')}` });
const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters`);

export const profileSchema = z
  .object({
    address: text(500, 'Address'),
    website: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Website must be an http(s) address' }).max(200)]),
    billingName: text(200, 'Billing contact'),
    billingEmail: optionalEmail,
    billingPhone: text(40, 'Billing phone'),
  })
  .strict();

export const contactSchema = z
  .object({
    name: z.string().trim().min(1, 'Name is required').max(200, 'Name must be at most 200 characters'),
    role: text(120, 'Role'),
    email: optionalEmail,
    phone: text(40, 'Phone'),
  })
  .strict();

export const ACTIVITY_KINDS = ['call', 'meeting', 'email', 'visit', 'note'] as const;

export const activitySchema = z
  .object({
    date: isoDate,
    kind: z.enum(ACTIVITY_KINDS),
    subject: z.string().trim().min(1, 'Subject is required').max(200, 'Subject must be at most 200 characters'),
    notes: text(2000, 'Notes'),
  })
  .strict();

export const brandingSchema = z
  .object({
    productName: text(60, 'Product name'),
    logo: logoDataUrl.nullable(),
    primaryColor: hexColor.nullable(),
    accentColor: hexColor.nullable(),
  })
  .strict();

export type Profile = z.infer<typeof profileSchema>;

/** The billing contact within a company profile: read with billing.view, the rest with company.view. */
export const BILLING_FIELDS = ['billingName', 'billingEmail', 'billingPhone'] as const;
export type BillingField = (typeof BILLING_FIELDS)[number];
/** A profile as one reader may see it: the billing fields are absent without billing.view there. */
export type ProfileView = Omit<Profile, BillingField> & Partial<Pick<Profile, BillingField>>;
export type Contact = z.infer<typeof contactSchema>;
export type Activity = z.infer<typeof activitySchema>;
export type Branding = z.infer<typeof brandingSchema>;

export interface GroupSummary {
  id: string;
  parentId: string | null;
  kind: GroupKind;
  name: string;
  /** Users homed directly here that the caller may see; null when the caller may not see users here. */
  userCount: number | null;
  /** Devices owned directly here that the caller may see; null when the caller may not see devices here. */
  deviceCount: number | null;
  /** A department synced from its company's directory (issue 14, R29): where from, and whether the sync owns it now. */
  synced: SyncedMark | null;
}

/** Seed 004's marker of a synced department. `locked`: the sync is on, so its name, place and members follow the directory. */
export interface SyncedMark {
  /** "LDAP ldaps://…", "Microsoft Graph, tenant …", "Google Workspace, …": shown as "synced from …". */
  source: string;
  locked: boolean;
}

export interface GroupActions {
  edit: boolean;
  /** Change the name or kind: `edit`, unless the directory sync owns the group (R29). */
  rename: boolean;
  createChild: boolean;
  move: boolean;
  remove: boolean;
  editCompany: boolean;
  editSeats: boolean;
}

export interface GroupDetail {
  id: string;
  parentId: string | null;
  kind: GroupKind;
  name: string;
  /** From the highest group the caller may see down to this one (R13; issue 15, finding 4): never a group above their reach. */
  path: Array<{ id: string; name: string; kind: GroupKind }>;
  serviceType: string;
  seatLimit: number | null;
  /** Null (the parts absent) where the reader lacks company.view; billing fields absent without billing.view. */
  profile: ProfileView | null;
  contacts: Contact[] | null;
  activities: Activity[] | null;
  branding: Branding | null;
  /** Which parts the reader may see here, so the console can say what is hidden and which permission shows it. */
  visible: { company: boolean; billing: boolean };
  modules: Array<{ id: ModuleId; label: string; available: boolean; reason: string | null }>;
  /** Kinds of child group the caller may create here (nesting rules and permissions both applied). */
  allowedChildKinds: GroupKind[];
  childCount: number;
  /** Null when the caller may not see users (or devices) here, as in GroupSummary. */
  userCount: number | null;
  deviceCount: number | null;
  /** Seat use of the company this group belongs to (seed 000): members and pending invitations against the limit. */
  seats: { companyName: string; used: number; limit: number | null; members: number; pending: number } | null;
  /** What the caller may do here; the server checks again on every call. */
  can: GroupActions;
  synced: SyncedMark | null;
  /** Goes up by one on every change of the group (groups.update, groups.move): what an update passes as `baseVersion`. */
  version: number;
}

/** The branding that applies at a group: its own, or the nearest branded ancestor's. */
export interface EffectiveBranding extends Branding {
  fromGroupId: string | null;
}

const seatLimit = z.number().int('Seat limit must be a whole number').min(0, 'Seat limit cannot be negative').max(1_000_000).nullable();

export const groupsContract = {
  'groups.tree': op<{ groups: GroupSummary[] }>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
  'groups.get': op<GroupDetail>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND'],
  }),
  /**
   * R11: a company may be created with its Owner invitation (`owner.email`), which carries
   * the Owner role for that company alone; only an Owner of a company above may send it.
   */
  'groups.create': op<{ id: string; ownerInvitation?: InvitationSent }>()({
    input: z
      .object({
        parentId: entityId,
        kind,
        name: groupName,
        serviceType: text(60, 'Service type').optional(),
        seatLimit: seatLimit.optional(),
        owner: z.object({ email }).strict().optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** `baseVersion`: the group's version the editor loaded; a stale one is CONFLICT naming the fields changed since. */
  'groups.update': op<{ id: string; version: number }>()({
    input: z
      .object({
        id: entityId,
        baseVersion,
        name: groupName.optional(),
        kind: kind.optional(),
        serviceType: text(60, 'Service type').optional(),
        seatLimit: seatLimit.optional(),
        // The billing fields may be left out, and are then kept: an editor without billing.view never sees them.
        profile: profileSchema.partial({ billingName: true, billingEmail: true, billingPhone: true }).optional(),
        contacts: z.array(contactSchema).max(100, 'At most 100 contacts').optional(),
        activities: z.array(activitySchema).max(1000, 'At most 1000 activities').optional(),
        branding: brandingSchema.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /**
   * No base version: the input states the whole outcome (this group under that parent) and
   * overwrites nothing the mover did not choose; nesting and reach are checked against the tree as it is.
   */
  'groups.move': op<{ id: string; version: number }>()({
    input: z.object({ id: entityId, parentId: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  'groups.remove': op<{ removed: true }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
} as const;
