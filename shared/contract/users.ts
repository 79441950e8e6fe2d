import { z } from 'zod';
import { op } from './define';
import type { FacetValue } from './devices';
import { baseVersion, entityId } from './fields';

export interface BindingSummary {
  roleId: string;
  roleName: string;
  groupId: string;
  groupName: string;
}

export type MfaState = (typeof MFA_STATES)[number];
export type UserKind = (typeof USER_KINDS)[number];
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserSummary {
  id: string;
  username: string;
  fullName: string;
  email: string;
  company: string;
  homeGroupId: string;
  homeGroupName: string;
  kind: UserKind;
  status: UserStatus;
  mfa: MfaState;
  lastSignInAt: number | null;
  protected: boolean;
  isOwner: boolean;
  /** The bindings at groups the reader may see; the others are only counted (R13). */
  bindings: BindingSummary[];
  hiddenBindings: number;
  /**
   * Goes up by one when the account fields, status, roles or departments change (not at
   * sign-in or a credential reset): what users.update, users.setRoles and users.setDepartments pass as `baseVersion`.
   */
  version: number;
}

/** A department (group of kind department) the user belongs to besides their home group (seed 004). */
export interface DepartmentMembership {
  groupId: string;
  groupName: string;
}

export interface UserActions {
  edit: boolean;
  setRoles: boolean;
  setDepartments: boolean;
  disable: boolean;
  resetPassword: boolean;
  resetMfa: boolean;
  remove: boolean;
  /** Why an action above is false, keyed by action, in words for a tooltip. */
  reasons: Partial<Record<Exclude<keyof UserActions, 'reasons'>, string>>;
}

export interface UserDetail extends UserSummary {
  /** Seed 004: a user may belong to several departments of their company; their supervisors reach them. */
  departments: DepartmentMembership[];
  notifications: NotificationPreferences;
  deviceCount: number;
  can: UserActions;
}

export const NOTIFICATION_TOPICS = ['backupFailures', 'weeklyReport', 'securityAlerts', 'invitations'] as const;
export type NotificationPreferences = Record<(typeof NOTIFICATION_TOPICS)[number], boolean>;

export const USER_SORTS = ['username', 'fullName', 'email', 'company', 'kind', 'status', 'lastSignInAt', 'homeGroupName'] as const;

const bindingInput = z.object({ roleId: entityId, groupId: entityId }).strict();
const bindings = z.array(bindingInput).max(200, 'At most 200 role bindings per user');

export const USER_STATUSES = ['active', 'disabled'] as const;
export const USER_KINDS = ['member', 'external'] as const;
export const MFA_STATES = ['enrolled', 'not_enrolled', 'reset_pending'] as const;

/**
 * The members list's filter, shared by the list and its counts (issue 15, finding 6): each list is
 * "any of these" (empty or absent: any), the conditions of different fields all apply.
 */
const userFilterFields = {
  /** Text in the username, full name, email or company. */
  query: z.string().trim().max(100).optional(),
  statuses: z.array(z.enum(USER_STATUSES)).max(USER_STATUSES.length).optional(),
  kinds: z.array(z.enum(USER_KINDS)).max(USER_KINDS.length).optional(),
  mfa: z.array(z.enum(MFA_STATES)).max(MFA_STATES.length).optional(),
  /** People holding any of these roles (anywhere). */
  roleIds: z.array(entityId).max(100, 'At most 100 roles').optional(),
  /** Users homed in this group's subtree. */
  groupId: entityId.optional(),
};
export const userFilterSchema = z.object(userFilterFields).strict();
export type UserFilter = z.infer<typeof userFilterSchema>;

/**
 * Cross-filtered counts of the people the caller may see (as DeviceFacets): each facet applies
 * every condition of the filter but its own; `roles` counts, per role the caller may see, the
 * people holding it; `total` is what users.list counts. Values without anyone are left out.
 */
export interface UserFacets {
  statuses: Array<FacetValue<UserStatus>>;
  kinds: Array<FacetValue<UserKind>>;
  mfa: Array<FacetValue<MfaState>>;
  roles: FacetValue[];
  total: number;
}

export const usersContract = {
  'users.list': op<{ users: UserSummary[]; total: number }>()({
    input: z
      .object({
        ...userFilterFields,
        sort: z.enum(USER_SORTS).optional(),
        descending: z.boolean().optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  /** The members filters' values with cross-filtered counts (UserFacets). */
  'users.facets': op<UserFacets>()({
    input: z.object({ filter: userFilterSchema.optional() }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  /** Replaces the whole list from the copy the editor saw, so it carries that copy's `baseVersion`. */
  'users.setRoles': op<{ bindings: BindingSummary[]; version: number }>()({
    input: z.object({ userId: entityId, baseVersion, bindings }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'VALIDATION'],
  }),
  /** Replaces the user's department memberships (seed 004: "You can assign multiple departments to a user"). */
  'users.setDepartments': op<{ departments: DepartmentMembership[]; version: number }>()({
    input: z
      .object({ userId: entityId, baseVersion, departmentIds: z.array(entityId).max(200, 'At most 200 departments per user') })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'VALIDATION'],
  }),
} as const;
