import { useState } from 'react';
import type { BulkCounts, JobInfo } from '../../../shared/contract';
import { invoke } from '../api/client';
import { formatDateTime } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { FormError } from '../ui/FormError';
import { countText } from './device-format';
import { isActive, JOB_STATE_LABELS, jobTitle, percent } from './job-format';
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

/** Pairs (device × member): changed, already so, refused. */
export function CountsList({ counts, action, label, planned }: CountsListProps) {
  const refused = counts.refused.reduce((sum, r) => sum + r.count, 0);
  const changed = action === 'assign' ? (planned ? 'Will assign' : 'Assigned') : planned ? 'Will unassign' : 'Unassigned';
  return (
    <dl className="job-counts" aria-label={label}>
      <div>
        <dt>{changed}</dt>
        <dd data-testid="count-changed">{counts.willChange.toLocaleString()}</dd>
      </div>
      <div>
        <dt>{action === 'assign' ? 'Already assigned' : 'Not assigned anyway'}</dt>
        <dd data-testid="count-unchanged">{counts.unchanged.toLocaleString()}</dd>
      </div>
      <div>
        <dt>{planned ? 'Will be refused' : 'Refused'}</dt>
        <dd data-testid="count-refused">{refused.toLocaleString()}</dd>
      </div>
    </dl>
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
  const pct = percent(job);
  const pairs = job.planned.willChange;
  const progressLabel = job.state === 'rolling_back' ? 'Undo progress' : 'Job progress';

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
        <progress aria-label={progressLabel} max={Math.max(1, job.total)} value={job.total === 0 ? 1 : job.processed} />
        <span data-testid="job-progress-text">
          {job.processed.toLocaleString()} of {countText(job.total, 'device', 'devices')} ({pct}%)
        </span>
      </div>
      {job.note && <p className="notice">{job.note}</p>}
      <CountsList counts={job.counts} action={job.action} label="What happened so far" />
      {job.counts.refused.length > 0 && (
        <ul className="refusals">
          {job.counts.refused.map((r) => (
            <li key={r.reason}>
              {r.message}: {countText(r.count, 'pair', 'pairs')}
            </li>
          ))}
        </ul>
      )}
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
      {!active && <JobResults jobId={job.id} revision={`${job.state}@${job.undoneAt ?? job.finishedAt ?? ''}`} />}
    </div>
  );
}
