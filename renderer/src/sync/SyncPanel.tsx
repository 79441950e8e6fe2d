import { useEffect, useState } from 'react';
import type { SyncIssue, SyncStatus } from '../../../shared/contract';
import { invoke } from '../api/client';
import { Dialog } from '../ui/Dialog';
import { FormError } from '../ui/FormError';
import { asOfWords, stateWords } from './use-sync-status';
import { SyncIssueRow } from './SyncIssueRow';

interface Props {
  status: SyncStatus;
  onChanged: () => void;
  onClose: () => void;
}

/** The hub, "Work offline", "Sync now", and Sync issues: the commands the hub refused, with its reasons. */
export function SyncPanel({ status, onChanged, onClose }: Props) {
  const [issues, setIssues] = useState<SyncIssue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    void invoke('sync.issues', {}).then((r) => (r.ok ? setIssues(r.value.issues) : setError(r.error.message)));
  }, [reload, status.rejected]);

  async function run(work: () => Promise<{ ok: boolean; error?: { message: string } }>) {
    setBusy(true);
    setError(null);
    const r = await work();
    setBusy(false);
    if (!r.ok) setError(r.error?.message ?? 'That did not work');
    onChanged();
    setReload((n) => n + 1);
  }

  const offline = status.state === 'working-offline';
  return (
    <Dialog
      title="Sync with the hub"
      wide
      onClose={onClose}
      description={
        <>
          {stateWords(status.state)} · {status.hub} · {asOfWords(status.asOf)}
          {status.error && status.state !== 'online' ? ` · ${status.error}` : ''}
        </>
      }
    >
      <div className="sync-actions">
        <button type="button" disabled={busy} onClick={() => void run(() => invoke('sync.setOffline', { offline: !offline }))}>
          {offline ? 'Go back online' : 'Work offline'}
        </button>
        <button type="button" disabled={busy || offline} onClick={() => void run(() => invoke('sync.now', {}))}>
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
        <span data-testid="sync-panel-pending">
          {status.pending === 0 ? 'Nothing waits for the hub.' : `${status.pending.toLocaleString()} changes wait for the hub.`}
        </span>
      </div>
      <FormError message={error} />
      <h3>Sync issues</h3>
      {issues === null ? (
        <p className="loading">Loading…</p>
      ) : issues.length === 0 ? (
        <p className="empty">The hub has accepted everything you did. A change it refuses shows here with its reason.</p>
      ) : (
        <ul className="sync-issues" aria-label="Sync issues">
          {issues.map((issue) => (
            <SyncIssueRow key={issue.seq} issue={issue} onDone={() => run(() => invoke('sync.dismiss', { seq: issue.seq }))} />
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
