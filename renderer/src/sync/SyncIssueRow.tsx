import { useState } from 'react';
import type { OperationName, SyncIssue } from '../../../shared/contract';
import { invoke } from '../api/client';

interface Props {
  issue: SyncIssue;
  /** Dismisses the issue (after a retry that worked, or by itself). */
  onDone: () => Promise<void>;
}

/**
 * One command the hub refused: what it was, when, and the hub's reason. The person may
 * dismiss it, or edit its input and send it again as a new change (which the hub decides
 * anew); a retry that is refused here again says why and keeps the issue.
 */
export function SyncIssueRow({ issue, onDone }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(issue.input, null, 2));
  const [error, setError] = useState<string | null>(null);

  async function retry() {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      setError('The input is not valid JSON');
      return;
    }
    // The operation comes from this replica's own command log: it names a contract operation.
    const r = await invoke(issue.operation as OperationName, input as never);
    if (!r.ok) {
      setError(r.error.field ? `${r.error.field}: ${r.error.message}` : r.error.message);
      return;
    }
    await onDone();
  }

  return (
    <li className="sync-issue" data-testid="sync-issue">
      <div>
        <strong>{issue.operation}</strong> <span className="muted">{new Date(issue.at).toLocaleString()}</span>
      </div>
      <p className="sync-reason" role="note">
        The hub refused it: {issue.message}
        {issue.field ? ` (${issue.field})` : ''}
      </p>
      {editing && (
        <label className="field">
          <span>Input to send again</span>
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </label>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="sync-issue-actions">
        {editing ? (
          <button type="button" className="primary" onClick={() => void retry()}>
            Send again
          </button>
        ) : (
          <button type="button" onClick={() => setEditing(true)}>
            Edit and retry
          </button>
        )}
        <button type="button" onClick={() => void onDone()}>
          Dismiss
        </button>
      </div>
    </li>
  );
}
