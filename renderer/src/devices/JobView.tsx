import { useState } from 'react';
import type { BulkCounts, JobInfo } from '../../../shared/contract';
import { invoke } from '../api/client';
import { formatDateTime } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { FormError } from '../ui/FormError';
import { countText } from './device-format';
import { isActive, JOB_STATE_LABELS, jobTitle, percent, undoProgress } from './job-format';
import { JobResults } from './JobResults';
import { useJob } from './use-job';

interface JobViewProps {
  jobId: string;
  initial: JobInfo | null;
  /** The job stopped moving (done, cancelled, undone): assignments changed, lists should reload. */
  onFinished: (job: JobInfo) => void;
  /** Why the caller may not cancel or undo, when they lack devices.assign. */
  lock: string | null;
}

interface CountsListProps {
  counts: BulkCounts;
  action: JobInfo['action'];
  label: string;
  /** A dry run speaks of what will happen; a job of what did. */
  planned?: boolean;
}

/** Pairs (device × member): changed, already so, refused, each labelled as pairs, so no total reads as devices. */
export function CountsList({ counts, action, label, planned }: CountsListProps) {
  const refused = counts.refused.reduce((sum, r) => sum + r.count, 0);
  const changed =
    action === 'assign' ? (planned ? 'Pairs to assign' : 'Pairs assigned') : planned ? 'Pairs to unassign' : 'Pairs unassigned';
  return (
    <dl className="job-counts" aria-label={label}>
      <div>
        <dt>{changed}</dt>
        <dd data-testid="count-changed">{counts.willChange.toLocaleString()}</dd>
      </div>
      <div>
        <dt>{action === 'assign' ? 'Pairs already assigned' : 'Pairs not assigned anyway'}</dt>
        <dd data-testid="count-unchanged">{counts.unchanged.toLocaleString()}</dd>
      </div>
      <div>
        <dt>{planned ? 'Pairs to be refused' : 'Pairs refused'}</dt>
        <dd data-testid="count-refused">{refused.toLocaleString()}</dd>
      </div>
      <div>
        <dt>{planned ? 'Devices that will change' : 'Devices changed'}</dt>
        <dd data-testid="count-devices-changed">{counts.devicesChanged.toLocaleString()}</dd>
      </div>
    </dl>
  );
}

/** Whom each refusal is about (issue 15, finding 9): "Opal Operator holds rights you do not hold: opal (10 devices)". */
export function RefusalList({ refused, label }: { refused: BulkCounts['refused']; label: string }) {
  if (refused.length === 0) return null;
  return (
    <ul className="refusals" aria-label={label}>
      {refused.map((r) => (
        <li key={r.reason}>
          {r.message}:{' '}
          {r.members.length > 0
            ? r.members.map((m, i) => (
                <span key={m.userId}>
                  {i > 0 && ', '}
                  <strong>{m.username}</strong> ({countText(m.count, 'device', 'devices')})
                </span>
              ))
            : countText(r.count, 'pair', 'pairs')}
        </li>
      ))}
    </ul>
  );
}

/**
 * One bulk job: its progress while it runs (polled, so the rest of the console stays usable),
 * Cancel, and once finished, what happened to each device and Undo of the whole job.
 */
export function JobView({ jobId, initial, onFinished, lock }: JobViewProps) {
  const { job, error, follow } = useJob(jobId, initial, onFinished);
  const [confirmUndo, setConfirmUndo] = useState(false);
  const [pending, setPending] = useState<'cancel' | 'undo' | null>(null);
  const [commandError, setCommandError] = useState<string | null>(null);

  if (!job) return error ? <FormError message={`The job could not be loaded: ${error}`} /> : <p className="loading">Loading the job…</p>;

  async function command(kind: 'cancel' | 'undo') {
    setPending(kind);
    setCommandError(null);
    const result = await invoke(kind === 'cancel' ? 'devices.jobCancel' : 'devices.jobUndo', { jobId });
    setPending(null);
    setConfirmUndo(false);
    if (result.ok) follow(result.value);
    else setCommandError(result.error.message);
  }

  const active = isActive(job.state);
  const pairs = job.planned.willChange;
  // While and after undoing, the bar follows the undo (devices restored of those the job changed), not the job's own run.
  const progress = undoProgress(job) ?? { label: 'Job progress', done: job.processed, of: job.total, words: 'devices' };
  const pct = percent({ processed: progress.done, total: progress.of });

  return (
    <div className="job-view" data-testid="job-view" data-state={job.state}>
      {/* A wizard's job step focuses this first (Dialog's `step`): the button that started the job is gone. */}
      <p className="job-summary" data-step-title tabIndex={-1}>
        <strong>{jobTitle(job)}</strong> · {job.selection} · started by {job.by.username} {formatDateTime(job.startedAt ?? job.createdAt)}
      </p>
      <p className={`job-state job-state-${job.state}`} role="status" data-testid="job-state">
        {JOB_STATE_LABELS[job.state]}
        {job.finishedAt && !active ? ` at ${formatDateTime(job.undoneAt ?? job.finishedAt)}` : ''}
      </p>
      <div className="job-progress">
        <progress aria-label={progress.label} max={Math.max(1, progress.of)} value={progress.of === 0 ? 1 : progress.done} />
        <span data-testid="job-progress-text">
          {progress.done.toLocaleString()} of {progress.of.toLocaleString()} {progress.words} ({pct}%)
        </span>
      </div>
      {job.note && <p className="notice">{job.note}</p>}
      <CountsList counts={job.counts} action={job.action} label="What happened so far" />
      <RefusalList refused={job.counts.refused} label="Refused so far" />
      <FormError message={commandError ?? error} />
      <div className="row job-buttons">
        {(job.state === 'queued' || job.state === 'running') && (
          <ActionButton
            reason={job.canCancel ? null : lock}
            disabled={pending !== null || !job.canCancel}
            onClick={() => void command('cancel')}
          >
            {pending === 'cancel' ? 'Stopping…' : 'Cancel job'}
          </ActionButton>
        )}
        {(job.state === 'done' || job.state === 'cancelled' || job.state === 'failed' || job.state === 'rolled_back') && !confirmUndo && (
          <ActionButton
            className="danger-outline"
            reason={job.canUndo ? null : job.state === 'rolled_back' ? 'This job has been undone already' : lock}
            disabled={!job.canUndo}
            onClick={() => setConfirmUndo(true)}
          >
            Undo this job…
          </ActionButton>
        )}
      </div>
      {confirmUndo && (
        <div className="confirm-row" role="group" aria-label="Confirm undo">
          <p>
            Undo {jobTitle(job).toLowerCase()}? The {countText(job.counts.willChange, 'pair', 'pairs')} this job changed go back to how they
            were (planned: {pairs.toLocaleString()}). Changes others made since are kept.
          </p>
          <div className="row">
            <button type="button" onClick={() => setConfirmUndo(false)} data-autofocus="">
              Keep the job
            </button>
            <button type="button" className="danger-button" disabled={pending !== null} onClick={() => void command('undo')}>
              {pending === 'undo' ? 'Undoing…' : 'Undo the job'}
            </button>
          </div>
        </div>
      )}
      {!active && <JobResults jobId={job.id} action={job.action} revision={`${job.state}@${job.undoneAt ?? job.finishedAt ?? ''}`} />}
    </div>
  );
}
