import { z } from 'zod';
import { op } from './define';
import { entityId } from './fields';

/** The largest chunk a job step may take (the runner sizes chunks between 50 and this). */
export const JOB_STEP_MAX = 2000;

/**
 * Work Steward does by itself, as a system actor (DESIGN 6: every change of stored state is
 * a command). No transport can call these; the job runner and the retention schedule
 * dispatch them, and a replay re-runs them from the command log like any other command.
 */
export const systemContract = {
  /** One chunk of a bulk job: forward, or undo when it is rolling back. `size` is recorded so a replay takes the same chunk. */
  'devices.jobStep': op<{ state: string; processed: number }>()({
    input: z.object({ jobId: entityId, size: z.number().int().min(1).max(JOB_STEP_MAX) }).strict(),
    audience: 'system',
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
  /** At start-up: settle the jobs a crash interrupted (resume, or roll back what lost its authority). */
  'devices.jobRecover': op<{ resumed: number; rolledBack: number; cancelled: number }>()({
    input: z.object({}).strict(),
    audience: 'system',
    kind: 'command',
    errors: [],
  }),
  /** A job whose step failed inside Steward ends failed; what it applied stays and can be undone. */
  'devices.jobFail': op<{ state: string }>()({
    input: z.object({ jobId: entityId }).strict(),
    audience: 'system',
    kind: 'command',
    errors: ['NOT_FOUND'],
  }),
  /** Audit retention: removes events older than the setting, anchoring each chain where it was cut. */
  'audit.prune': op<{ removed: number; retentionDays: number | null }>()({
    input: z.object({}).strict(),
    audience: 'system',
    kind: 'command',
    errors: [],
  }),
  /** The daily snapshot of status counts per group (R32), for the UTC day of the command's clock. */
  'history.snapshot': op<{ day: number; groups: number }>()({
    input: z.object({}).strict(),
    audience: 'system',
    kind: 'command',
    errors: [],
  }),
  /** Status history retention: removes changes and snapshots older than the setting, keeping each device's state at the cut. */
  'history.prune': op<{ changesRemoved: number; snapshotsRemoved: number; retentionDays: number | null }>()({
    input: z.object({}).strict(),
    audience: 'system',
    kind: 'command',
    errors: [],
  }),
} as const;
