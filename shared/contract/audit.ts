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
  groupName: string | null;
  outcome: 'success' | 'denied';
  errorCode: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const AUDIT_OUTCOMES = ['success', 'denied'] as const;

/** The filter of the audit view; the export takes exactly the same one. */
export const auditFilter = z
  .object({
    actorId: entityId.optional(),
    /** What this user did, or what was done to their account (a member's activity, seed 000). */
    memberId: entityId.optional(),
    /** An action name, or a prefix ending in '.', e.g. 'auth.' */
    action: z.string().trim().max(80).optional(),
    /** Text in the target's name. */
    target: z.string().trim().max(100).optional(),
    /** Events in this group's subtree. */
    groupId: entityId.optional(),
    /** Milliseconds since the epoch, inclusive. */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
  })
  .strict();

export type AuditFilter = z.infer<typeof auditFilter>;

/** Counting stops here: past it the view says "more than". */
export const AUDIT_COUNT_CAP = 100_000;
export const AUDIT_EXPORT_CAP = 100_000;

export interface ChainState {
  intact: boolean;
  /** Events checked: every kept event of every installation's chain. */
  checked: number;
  /** The first event (in the order events reached this database) whose contents, link or place do not match. */
  broken: { seq: number; reason: string } | null;
  /**
   * The highest sequence number the retention setting pruned. Events with lower numbers may be
   * kept: each installation's events are pruned by their own age, and arrive here in any order.
   */
  prunedThrough: number | null;
}

export const auditContract = {
  'audit.list': op<{ events: AuditEntry[]; total: number; totalCapped: boolean }>()({
    input: auditFilter
      .extend({ beforeSeq: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  'audit.export': op<{ filename: string; mimeType: string; content: string; rows: number }>()({
    input: auditFilter
      .extend({
        format: z.enum(['csv', 'jsonl']),
        /** CSV only: start the file with a UTF-8 byte order mark, so spreadsheet programs read its names right. */
        bom: z.boolean().optional(),
      })
      .strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['CONFLICT', 'FORBIDDEN'],
  }),
  'audit.verify': op<ChainState>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: ['FORBIDDEN'] }),
} as const;
