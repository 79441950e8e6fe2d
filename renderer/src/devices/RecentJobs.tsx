import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../shared/contract';
import { invoke } from '../api/client';
import { formatDateTime } from '../team/format';
import { FormError } from '../ui/FormError';
import { TableHead } from '../ui/TableHead';
import { isActive, JOB_POLL_MS, JOB_STATE_LABELS, jobTitle, percent } from './job-format';

interface RecentJobsProps {
  /** Bumped when a job was started or finished here. */
  revision: number;
  onOpen: (jobId: string) => void;
}

/**
 * The latest bulk jobs and their state, so that a job resumed or rolled back after a restart
 * (its note says which and why) is in plain view. Followed while any of them moves.
 */
export function RecentJobs({ revision, onOpen }: RecentJobsProps) {
  const [jobs, setJobs] = useState<JobInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    let timer = 0;
    void invoke('devices.jobs', { limit: 20 }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setJobs(result.value.jobs);
      if (result.value.jobs.some((j) => isActive(j.state))) timer = window.setTimeout(() => setTick((t) => t + 1), JOB_POLL_MS * 2);
    });
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [revision, tick]);

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
