import { z } from 'zod';
import { op } from './define';
import { entityId } from './fields';

export interface BindingSummary {
  roleId: string;
  roleName: string;
  groupId: string;
  groupName: string;
}

export interface UserSummary {
  id: string;
  username: string;
  fullName: string;
  email: string;
  homeGroupId: string;
  homeGroupName: string;
  kind: 'member' | 'external';
  status: 'active' | 'disabled';
  bindings: BindingSummary[];
}

export const USER_SORTS = ['username', 'fullName', 'email'] as const;

export const usersContract = {
  'users.list': op<{ users: UserSummary[]; total: number }>()({
    input: z
      .object({
        query: z.string().trim().max(100).optional(),
        sort: z.enum(USER_SORTS).optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  'users.setRoles': op<{ bindings: BindingSummary[] }>()({
    input: z
      .object({
        userId: entityId,
        bindings: z.array(z.object({ roleId: entityId, groupId: entityId }).strict()).max(200, 'At most 200 role bindings per user'),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT'],
  }),
} as const;
