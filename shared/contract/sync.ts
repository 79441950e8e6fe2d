import { z } from 'zod';
import { op } from './define';

/** A replica's contact with its hub, for the status chip (docs/sync.md). */
export interface SyncStatus {
  /**
   * `not-connected`: standalone (this installation's own data is authoritative).
   * `online`: in touch, nothing waiting to be sent. `syncing`: a push or pull under way.
   * `offline`: the hub cannot be reached; commands wait. `working-offline`: the person chose it.
   * `signed-out`: the hub ended this replica's connection; sign in to the hub again.
   */
  state: 'not-connected' | 'online' | 'syncing' | 'offline' | 'working-offline' | 'signed-out';
  hub: string | null;
  fingerprint: string | null;
  /** This person's commands the hub has not answered yet. */
  pending: number;
  /** Commands the hub refused, not dismissed. */
  rejected: number;
  /** When the hub was last reached (ms since the epoch): what lists show as "as of" while offline. */
  asOf: number | null;
  /**
   * How many times the hub's changes (or a rebase) changed this replica's data since the console
   * started: when it moves, the screens read their answers again.
   */
  changes: number;
  /** Why the last sync failed, in words. */
  error: string | null;
  offlineWindowMs: number | null;
}

/** A command the hub refused (the Sync issues panel). */
export interface SyncIssue {
  seq: number;
  operation: string;
  code: string;
  message: string;
  field: string | null;
  /** The command's input as it was sent, for "edit and retry". */
  input: unknown;
  at: number;
  dismissed: boolean;
}

const fingerprint = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:\s-]?){32}$/, 'the SHA-256 fingerprint: 32 pairs of hex digits, as the hub printed it');

export const syncContract = {
  'sync.status': op<SyncStatus>()({ input: z.object({}).strict(), audience: 'public', kind: 'query', errors: [] }),
  /**
   * "Connect to a hub": the hub's address, the certificate fingerprint the person compared with
   * the one the hub printed, and the person's sign-in at the hub (password and code, checked
   * there). Pulls what they may see and signs them in here.
   */
  'sync.connect': op<{ connected: true }>()({
    input: z
      .object({
        url: z.string().trim().min(1).max(2048),
        fingerprint,
        username: z.string().trim().min(1).max(254),
        password: z.string().min(1).max(1024),
        code: z.string().regex(/^\d{6}$/, 'the six digits from your authenticator app'),
      })
      .strict(),
    audience: 'public',
    kind: 'command',
    secrets: ['password', 'code'],
    errors: ['FORBIDDEN', 'INVALID_CREDENTIALS', 'INVALID_CODE', 'THROTTLED', 'CONFLICT'],
  }),
  /** "Work offline" on or off. */
  'sync.setOffline': op<SyncStatus>()({
    input: z.object({ offline: z.boolean() }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['CONFLICT'],
  }),
  /** "Sync now": push and pull, and wait for it. */
  'sync.now': op<SyncStatus>()({ input: z.object({}).strict(), audience: ['active'], kind: 'command', errors: ['CONFLICT'] }),
  'sync.issues': op<{ issues: SyncIssue[] }>()({
    input: z.object({ includeDismissed: z.boolean().optional() }).strict(),
    audience: ['active'],
    kind: 'query',
    errors: [],
  }),
  'sync.dismiss': op<{ dismissed: number }>()({
    input: z.object({ seq: z.number().int().min(1) }).strict(),
    audience: ['active'],
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
} as const;
