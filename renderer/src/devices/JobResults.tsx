import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { BulkAction, JobItemStatus, JobResultRow } from '../../../shared/contract';
import { invoke } from '../api/client';
import type { FetchWindow } from './row-windows';
import { useRowWindows } from './use-row-windows';

const ROW_HEIGHT = 34;

const STATUS_WORDS: Record<JobItemStatus, string> = { changed: 'Changed', unchanged: 'Already so', refused: 'Refused' };

/** A device where only some members were refused says so, rather than "Refused" or "Changed" alone. */
function statusWords(row: JobResultRow): string {
  if (row.refused.length > 0 && row.status === 'changed') return 'Changed for some';
  if (row.refused.length > 0 && row.status === 'unchanged') return 'Refused for some';
  return STATUS_WORDS[row.status];
}

const fetchResults: FetchWindow<JobResultRow> = async (key, offset, limit) => {
  const { jobId, status } = JSON.parse(key) as { jobId: string; status?: JobItemStatus };
  const result = await invoke('devices.jobResults', { jobId, ...(status ? { status } : {}), window: { offset, limit } });
  return result.ok ? { ok: true, value: { rows: result.value.rows, total: result.value.total } } : result;
};

/** What happened for whom on one device: each refusal names its own member, so no row reads as if everyone was refused. */
function detail(row: JobResultRow, action: BulkAction): string {
  const parts: string[] = [];
  if (row.changed.length > 0)
    parts.push(`${action === 'assign' ? 'Assigned to' : 'Unassigned from'} ${row.changed.map((m) => m.username).join(', ')}`);
  if (row.unchanged > 0) parts.push(`${row.unchanged} ${row.unchanged === 1 ? 'member' : 'members'} already so`);
  for (const r of row.refused) parts.push(`Refused for ${r.username}: ${r.message}`);
  return parts.join(' · ');
}

/** What happened to each device of a job, in processing order; windowed, so a 100,000-device job scrolls like a short one. */
export function JobResults({ jobId, action, revision }: { jobId: string; action: BulkAction; revision: string }) {
  const [status, setStatus] = useState<JobItemStatus | ''>('');
  const { windows, view } = useRowWindows(fetchResults, 200);
  // The revision is part of the question: once the job moves on (an undo restored devices), earlier answers are out of date.
  const key = JSON.stringify({ jobId, ...(status ? { status } : {}), revision });
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => windows.ask(key), [windows, key]);

  const total = view.shownKey === null ? 0 : (view.total ?? 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh on every render, never memoized.
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => windows.ensure(first, last), [windows, first, last, view]);

  return (
    <div className="job-results">
      <div className="row job-results-head">
        <h3 id={`job-results-${jobId}`}>Result per device</h3>
        <label>
          <span className="sr-only">Show</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as JobItemStatus | '')} aria-label="Show results">
            <option value="">Every device</option>
            <option value="changed">Changed</option>
            <option value="unchanged">Already so</option>
            <option value="refused">Refused</option>
          </select>
        </label>
        <span className="muted" data-testid="job-results-count">
          {view.shownKey === key && view.total !== null
            ? `${view.total.toLocaleString()} ${view.total === 1 ? 'device' : 'devices'}`
            : 'Loading…'}
        </span>
      </div>
      {view.error && <p className="form-error">{view.error}</p>}
      <div ref={scrollRef} className="job-results-scroll" tabIndex={0} role="region" aria-labelledby={`job-results-${jobId}`}>
        <ol className="job-results-list" style={{ height: virtualizer.getTotalSize() }} aria-label="Devices of this job">
          {items.map((item) => {
            const row = view.rowAt(item.index);
            return (
              <li
                key={item.index}
                className={`job-result${row ? ` job-result-${row.status}` : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {row ? (
                  <>
                    <span className="job-result-name">{row.deviceName ?? <span className="muted">Removed device</span>}</span>
                    <span className={`job-result-status status-${row.status}`}>
                      {statusWords(row)}
                      {row.undone ? ' · undone' : ''}
                    </span>
                    <span className="job-result-detail" title={detail(row, action)}>
                      {detail(row, action)}
                    </span>
                  </>
                ) : (
                  <span className="muted">Loading…</span>
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
