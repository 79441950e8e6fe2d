import { z } from 'zod';
import type { AreaEffect } from '../access/effective';
import type { Missing } from '../access/decide';
import { op } from './define';
import { entityId } from './fields';

export const TARGET_TYPES = ['group', 'user', 'role', 'device'] as const;
const target = z.object({ type: z.enum(TARGET_TYPES), id: entityId }).strict();
const permissionKey = z.string().trim().min(1, 'Permission is required').max(80);

export interface AccessAnswer {
  allowed: boolean;
  missing: Missing | null;
  /** The deciding binding, or the first missing link, in words. */
  explanation: string;
  via: { roleName: string; groupId: string; groupName: string } | null;
  /** The target's path, from the highest group the reader may see down (R13). */
  path: Array<{ id: string; name: string }>;
}

export interface WhoCanEntry {
  userId: string;
  username: string;
  fullName: string;
  roleName: string;
  groupName: string;
}

/** Who may do something somewhere: the people the reader may see, and how many others (R13: counted, never named). */
export interface WhoCanAnswer {
  subjects: WhoCanEntry[];
  /** People who may, but whom the reader may not see (users.view). */
  hidden: number;
}

const question = z.object({ userId: entityId, permission: permissionKey, target }).strict();

export const accessContract = {
  'access.decide': op<{ allowed: boolean }>()({ input: question, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  'access.explain': op<AccessAnswer>()({ input: question, audience: ['active'], kind: 'query', errors: ['NOT_FOUND', 'FORBIDDEN'] }),
  'access.whoCan': op<WhoCanAnswer>()({
    input: z.object({ permission: permissionKey, target }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
  'access.effective': op<{ areas: AreaEffect[] }>()({
    input: z.object({ userId: entityId, groupId: entityId }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: ['NOT_FOUND', 'FORBIDDEN'],
  }),
} as const;
