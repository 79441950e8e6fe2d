import { useOp } from '../data/query';
import { formatDateTime } from '../ui/format';
import { FormError } from '../ui/FormError';
import { TableHead } from '../ui/TableHead';
import { isActive, JOB_POLL_MS, JOB_STATE_LABELS, jobTitle, percent } from './job-format';

interface RecentJobsProps {
  onOpen: (jobId: string) => void;
}

/**
 * The latest bulk jobs and their state, so that a job resumed or rolled back after a restart
 * (its note says which and why) is in plain view. Followed while any of them moves.
 */
export function RecentJobs({ onOpen }: RecentJobsProps) {
  // Followed while a job moves; starting, cancelling or undoing one refreshes it (shared/contract/invalidation.ts).
  const query = useOp(
    'devices.jobs',
    { limit: 20 },
    { poll: (answer) => (answer.jobs.some((j) => isActive(j.state)) ? JOB_POLL_MS * 2 : false) },
  );
  const jobs = query.data?.jobs ?? null;
  const error = query.error?.message ?? null;

  if (jobs === null && !error) return null;
  if (jobs?.length === 0) return null;

  return (
    <section className="panel recent-jobs" aria-labelledby="recent-jobs-title">
      <h2 id="recent-jobs-title">Recent jobs</h2>
      <FormError message={error} />
      {jobs && (
        <table className="data-table" aria-label="Recent jobs">
          <TableHead columns={['Job', 'Devices', 'State', 'Started', 'By']} actions="Open" />
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job-id={job.id}>
                <td>{jobTitle(job)}</td>
                <td>{job.selection}</td>
                <td>
                  <span className={`job-state job-state-${job.state}`}>{JOB_STATE_LABELS[job.state]}</span>
                  {isActive(job.state) && <span className="muted"> {percent(job)}%</span>}
                  {job.note && <span className="job-note">{job.note}</span>}
                </td>
                <td>{formatDateTime(job.startedAt ?? job.createdAt)}</td>
                <td>{job.by.username}</td>
                <td>
                  <button type="button" className="link" onClick={() => onOpen(job.id)} aria-label={`Open job: ${jobTitle(job)}`}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
