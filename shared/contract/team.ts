import { z } from 'zod';
import { op } from './define';
import { baseVersion, email, entityId, fullName, totpCode, username } from './fields';
import { NOTIFICATION_TOPICS, type NotificationPreferences, type UserDetail, type UserStatus } from './users';

const company = z.string().trim().max(200, 'Company must be at most 200 characters');
const bindings = z.array(z.object({ roleId: entityId, groupId: entityId }).strict()).max(200, 'At most 200 role bindings per user');

/** One signed-in session of a person (issue 15: the Sessions tab of a person's page). */
export interface SessionInfo {
  client: 'desktop' | 'web' | 'cli';
  /** 'active' once fully signed in; 'enroll' or 'mfa' while the sign-in is half done. */
  stage: 'enroll' | 'mfa' | 'active';
  startedAt: number;
  lastSeenAt: number;
  /** The session this answer was asked from. */
  current: boolean;
}

/** Running a team (seeds 000, 002, 004): accounts, their status and secrets, and ownership. */
export const teamContract = {
  'users.get': op<UserDetail>()({ input: z.object({ id: entityId }).strict(), audience: ['active'], kind: 'query', errors: ['NOT_FOUND'] }),
  'users.create': op<{ id: string; password: string }>()({
    input: z
      .object({
        username,
        email,
        fullName: fullName.optional(),
        company: company.optional(),
        homeGroupId: entityId,
        kind: z.enum(['member', 'external']).optional(),
        bindings,
        /** Devices (servers, storages) the user is limited to, by assignment (seed 002). */
        deviceIds: z.array(entityId).max(10_000).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /** `baseVersion`: the user's version the form loaded; a stale one is CONFLICT naming the fields changed since. */
  'users.update': op<{ id: string; version: number }>()({
    input: z
      .object({
        id: entityId,
        baseVersion,
        username: username.optional(),
        email: email.optional(),
        fullName: fullName.optional(),
        company: company.optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
  /**
   * No base version: the input is the whole outcome (active or disabled), and taking access
   * away must never wait for a fresh copy (revocations win, DESIGN 6).
   */
  'users.setStatus': op<{ id: string; status: UserStatus; version: number }>()({
    input: z.object({ id: entityId, status: z.enum(['active', 'disabled']) }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'users.resetPassword': op<{ password: string }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'users.resetMfa': op<{ id: string }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'users.remove': op<{ removed: true; devicesReassigned: number }>()({
    input: z.object({ id: entityId, reassignDevicesTo: entityId.optional() }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'VALIDATION'],
  }),
  /** A person's sessions, most recently used first: one's own, or another's with users.edit over them (R7). */
  'users.sessions': op<{ sessions: SessionInfo[] }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  /**
   * Ends a person's sessions (R18): another's every session, with users.edit and dominance over
   * them (R7, R10); one's own every other session, keeping the one asking.
   */
  'users.signOutEverywhere': op<{ ended: number }>()({
    input: z.object({ id: entityId }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'users.updatePreferences': op<{ notifications: NotificationPreferences }>()({
    input: z
      .object({
        notifications: z
          .object(
            Object.fromEntries(NOTIFICATION_TOPICS.map((t) => [t, z.boolean()])) as Record<
              (typeof NOTIFICATION_TOPICS)[number],
              z.ZodBoolean
            >,
          )
          .strict(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: [],
  }),
  'ownership.transfer': op<{ newOwnerId: string; companyId: string }>()({
    input: z.object({ companyId: entityId, toUserId: entityId, code: totpCode }).strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['code'],
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_CODE', 'CODE_REUSED', 'THROTTLED'],
  }),
  /**
   * R10: an Owner of a company above gives a company its Owner, or replaces it, confirmed
   * with a fresh authenticator code; the previous Owner (if any) becomes its Admin.
   */
  'ownership.assign': op<{ newOwnerId: string; companyId: string; previousOwnerId: string | null }>()({
    input: z.object({ companyId: entityId, toUserId: entityId, code: totpCode }).strict(),
    audience: ['active'],
    kind: 'command',
    secrets: ['code'],
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_CODE', 'CODE_REUSED', 'THROTTLED'],
  }),
} as const;
