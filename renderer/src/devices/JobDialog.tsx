import type { JobInfo } from '../../../shared/contract';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { JobView } from './JobView';

interface JobDialogProps {
  jobId: string;
  lock: string | null;
  onClose: () => void;
  onFinished: (job: JobInfo) => void;
}

/** A job opened from Recent jobs: the same view as right after starting it. */
export function JobDialog({ jobId, lock, onClose, onFinished }: JobDialogProps) {
  return (
    <Dialog title="Bulk job" onClose={onClose} wide>
      <JobView jobId={jobId} initial={null} onFinished={onFinished} lock={lock} />
      <DialogButtons>
        <button type="button" onClick={onClose} data-autofocus="">
          Close
        </button>
      </DialogButtons>
    </Dialog>
  );
}
