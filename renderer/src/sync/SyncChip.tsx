import { useState } from 'react';
import type { SyncStatus } from '../../../shared/contract';
import { asOfWords, stateWords } from './use-sync-status';
import { SyncPanel } from './SyncPanel';

interface Props {
  status: SyncStatus | null;
  refresh: () => void;
}

/**
 * The replica's contact with its hub, in the header: online, offline, syncing, N pending,
 * N rejected. It opens the Sync panel (work offline, sync now, Sync issues). Standalone
 * installations show nothing.
 */
export function SyncChip({ status, refresh }: Props) {
  const [open, setOpen] = useState(false);
  if (!status || status.state === 'not-connected') return null;
  return (
    <>
      <button
        type="button"
        className={`sync-chip sync-${status.state}`}
        data-testid="sync-chip"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        title={status.error ?? `Hub: ${status.hub ?? ''}`}
      >
        <span className="sync-state">{stateWords(status.state)}</span>
        {status.pending > 0 && <span data-testid="sync-pending">{status.pending.toLocaleString()} pending</span>}
        {status.rejected > 0 && (
          <span className="sync-rejected" data-testid="sync-rejected">
            {status.rejected.toLocaleString()} rejected
          </span>
        )}
      </button>
      {open && (
        <SyncPanel
          status={status}
          onChanged={refresh}
          onClose={() => {
            setOpen(false);
            refresh();
          }}
        />
      )}
    </>
  );
}

/** While a replica is away from its hub, the line under the header that says as of when everything on screen is. */
export function SyncAsOf({ status }: { status: SyncStatus | null }) {
  if (!status || ['not-connected', 'online', 'syncing'].includes(status.state)) return null;
  return (
    <p className="sync-as-of" role="status" data-testid="sync-as-of">
      {stateWords(status.state)}: what you see is {asOfWords(status.asOf)}. Your changes wait here and go to the hub when it is reached
      again.
    </p>
  );
}
