import type { JobInfo, JobState } from '../../../shared/contract';

export const JOB_STATE_LABELS: Record<JobState, string> = {
  queued: 'Waiting to start',
  running: 'Running',
  cancelling: 'Stopping',
  cancelled: 'Cancelled',
  done: 'Done',
  rolling_back: 'Undoing',
  rolled_back: 'Undone',
  failed: 'Failed',
};

/** Often enough that a progress bar moves smoothly, rarely enough that a running job costs the console nothing. */
export const JOB_POLL_MS = 500;

const ACTIVE: ReadonlySet<JobState> = new Set(['queued', 'running', 'cancelling', 'rolling_back']);

/** A job still moving: its progress is polled; a finished one is read once. */
export function isActive(state: JobState): boolean {
  return ACTIVE.has(state);
}

export function jobTitle(job: Pick<JobInfo, 'action' | 'members'>): string {
  const names = job.members.map((m) => m.username);
  const who = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return `${job.action === 'assign' ? 'Assign to' : 'Unassign from'} ${who}`;
}

/** Processed over total, as a whole percentage; a job over no devices is complete. */
export function percent(job: Pick<JobInfo, 'processed' | 'total'>): number {
  return job.total === 0 ? 100 : Math.min(100, Math.floor((job.processed / job.total) * 100));
}

/**
 * The undo's own progress (issue 15, finding 9): devices dealt with (restored or left as others
 * changed them since) of those the job changed. Null before any undo started.
 */
export function undoProgress(job: Pick<JobInfo, 'undo'>): { label: string; done: number; of: number; words: string } | null {
  if (!job.undo) return null;
  const { total, restored, skipped } = job.undo;
  return { label: 'Undo progress', done: Math.min(total, restored + skipped), of: total, words: 'changed devices restored' };
}
