import { z } from 'zod';
import { op } from './define';
import { baseVersion, entityId } from './fields';

export interface BindingSummary {
  roleId: string;
  roleName: string;
  groupId: string;
  groupName: string;
}

export type MfaState = 'enrolled' | 'not_enrolled' | 'reset_pending';
export type UserKind = 'member' | 'external';
export type UserStatus = 'active' | 'disabled';

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

export const usersContract = {
  'users.list': op<{ users: UserSummary[]; total: number }>()({
    input: z
      .object({
        query: z.string().trim().max(100).optional(),
        status: z.enum(['active', 'disabled']).optional(),
        kind: z.enum(['member', 'external']).optional(),
        mfa: z.enum(['enrolled', 'not_enrolled', 'reset_pending']).optional(),
        roleId: entityId.optional(),
        /** Users homed in this group's subtree. */
        groupId: entityId.optional(),
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
