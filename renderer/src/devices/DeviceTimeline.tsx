import { useState } from 'react';
import type { StatusChange } from '../../../shared/contract';
import { useOp } from '../data/query';
import { formatDateTime } from '../ui/format';
import { FormError } from '../ui/FormError';
import { StatusBadge } from './device-format';

const PAGE = 20;

/** One entry in words: what the status became (and was), and the last backup when it moved. */
function Entry({ change }: { change: StatusChange }) {
  const first = change.previousStatus === null;
  const statusMoved = !first && change.previousStatus !== change.status;
  const backupMoved = !first && change.previousBackupAt !== change.lastBackupAt;
  return (
    <li>
      <time dateTime={new Date(change.at).toISOString()}>{formatDateTime(change.at)}</time>{' '}
      {first ? (
        <>
          recorded as <StatusBadge status={change.status} />, last backup {formatDateTime(change.lastBackupAt).toLowerCase()}
        </>
      ) : (
        <>
          {statusMoved && (
            <>
              <StatusBadge status={change.status} /> <span className="muted">(was {change.previousStatus})</span>
            </>
          )}
          {statusMoved && backupMoved && ' · '}
          {backupMoved && <>last backup {formatDateTime(change.lastBackupAt).toLowerCase()}</>}
        </>
      )}
    </li>
  );
}

/** The device's status timeline, newest first (issue 18: every change of status or last backup is kept). */
export function DeviceTimeline({ deviceId }: { deviceId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const query = useOp('devices.statusHistory', { id: deviceId, limit }, { keepPrevious: true });
  const changes = query.data?.changes ?? [];
  return (
    <section aria-labelledby="device-timeline-title">
      <h3 id="device-timeline-title">Status history</h3>
      {query.error ? (
        <FormError message={`The history could not be loaded: ${query.error.message}`} />
      ) : query.isPending ? (
        <p className="loading">Loading the history…</p>
      ) : changes.length === 0 ? (
        <p className="muted">No changes recorded.</p>
      ) : (
        <ol className="device-timeline" aria-label="Status history, newest first">
          {changes.map((c) => (
            <Entry key={c.id} change={c} />
          ))}
        </ol>
      )}
      {query.data?.more && limit < 200 && (
        <button type="button" className="link" onClick={() => setLimit(limit + PAGE)}>
          Show older changes
        </button>
      )}
    </section>
  );
}
