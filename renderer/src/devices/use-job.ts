import { useEffect, useRef, useState } from 'react';
import type { JobInfo } from '../../../shared/contract';
import { invoke } from '../api/client';
import { isActive, JOB_POLL_MS } from './job-format';

interface JobAnswer {
  job: JobInfo | null;
  error: string | null;
}

/**
 * A job's state, asked again every half second while it moves. Each answer is awaited
 * before the next question, so a slow server is never asked twice at once. `onFinished`
 * runs when a job seen moving stops (the grid then reloads its rows).
 */
export function useJob(jobId: string, initial: JobInfo | null, onFinished?: (job: JobInfo) => void) {
  const [answer, setAnswer] = useState<JobAnswer>({ job: initial?.id === jobId ? initial : null, error: null });
  const [revision, setRevision] = useState(0);
  const wasActive = useRef<boolean | null>(initial?.id === jobId ? isActive(initial.state) : null);
  const finished = useRef(onFinished);

  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    let live = true;
    let timer = 0;
    const ask = () => {
      void invoke('devices.jobGet', { jobId }).then((result) => {
        if (!live) return;
        if (!result.ok) {
          setAnswer((a) => ({ job: a.job, error: result.error.message }));
          return;
        }
        const job = result.value;
        setAnswer({ job, error: null });
        const active = isActive(job.state);
        if (wasActive.current === true && !active) finished.current?.(job);
        wasActive.current = active;
        if (active) timer = window.setTimeout(ask, JOB_POLL_MS);
      });
    };
    ask();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [jobId, revision]);

  return {
    job: answer.job,
    error: answer.error,
    /** After a cancel or undo: show the command's answer and follow the job again. */
    follow: (next: JobInfo) => {
      wasActive.current = isActive(next.state);
      setAnswer({ job: next, error: null });
      setRevision((r) => r + 1);
    },
  };
}
