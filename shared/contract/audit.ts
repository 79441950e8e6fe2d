import { z } from 'zod';
import { op } from './define';
import { entityId } from './fields';

export interface AuditEntry {
  seq: number;
  at: number;
  actorId: string | null;
  actorName: string | null;
  client: 'desktop' | 'web' | 'cli';
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  groupId: string | null;
  outcome: 'success' | 'denied';
  errorCode: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const auditContract = {
  'audit.list': op<{ events: AuditEntry[]; total: number }>()({
    input: z
      .object({
        actorId: entityId.optional(),
        /** Events whose target is this user, or which this user did (a member's activity). */
        memberId: entityId.optional(),
        beforeSeq: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
} as const;
