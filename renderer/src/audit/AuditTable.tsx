import { createColumnHelper, getCoreRowModel, useReactTable, type ExpandedState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useRef, useState, type UIEvent } from 'react';
import { Link } from 'react-router';
import type { AuditEntry } from '../../../shared/contract';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';
import { cellContent, headerContent } from '../ui/table-parts';
import { timeZoneText } from './audit-filter';
import { CLIENT_LABELS, formatLocal, formatUtc } from './audit-format';
import { EventDiff, hasDetails } from './EventDiff';

const column = createColumnHelper<AuditEntry>();

/** "auth.mfa.enrollmentStarted" may wrap after a dot rather than inside a word. */
function breakAtDots(action: string) {
  return action.split('.').map((part, i) => (
    <Fragment key={i}>
      {i > 0 && (
        <>
          .<wbr />
        </>
      )}
      {part}
    </Fragment>
  ));
}

const COLUMNS = [
  column.accessor('seq', {
    header: '#',
    cell: (c) => (
      <Link className="audit-seq" to={paths.auditEvent(c.getValue())} aria-label={`Event ${c.getValue()} on its own page`}>
        {c.getValue()}
      </Link>
    ),
  }),
  column.accessor('at', {
    // The zone the times are shown in, in the header (issue 15, finding 8); each time's tooltip gives it in UTC.
    header: () => (
      <>
        Time <span className="muted audit-zone">({timeZoneText()})</span>
      </>
    ),
    cell: (c) => (
      <time dateTime={new Date(c.getValue()).toISOString()} title={formatUtc(c.getValue())}>
        {formatLocal(c.getValue())}
      </time>
    ),
  }),
  column.accessor('actorName', {
    header: 'Actor',
    cell: (c) => c.getValue() ?? <span className="muted">Nobody signed in</span>,
  }),
  column.accessor('client', { header: 'Client', cell: (c) => CLIENT_LABELS[c.getValue()] ?? c.getValue() }),
  column.accessor('action', { header: 'Action', cell: (c) => <code className="audit-action">{breakAtDots(c.getValue())}</code> }),
  column.accessor('targetName', {
    header: 'Target',
    cell: (c) =>
      c.getValue() === null ? (
        <span className="muted">—</span>
      ) : (
        <>
          {c.getValue()}
          {c.row.original.targetType && <span className="audit-target-type"> {c.row.original.targetType}</span>}
          {c.row.original.targetType === 'job' && c.row.original.targetId && <JobResultsLink jobId={c.row.original.targetId} />}
        </>
      ),
  }),
  column.accessor('groupName', { header: 'Group', cell: (c) => c.getValue() ?? <span className="muted">—</span> }),
  column.accessor('outcome', {
    header: 'Outcome',
    cell: (c) =>
      c.getValue() === 'denied' ? (
        <span className="outcome outcome-denied" title={c.row.original.errorCode ?? undefined}>
          <span aria-hidden="true">✖ </span>Denied
          {c.row.original.errorCode && <span className="outcome-code"> {c.row.original.errorCode}</span>}
        </span>
      ) : (
        <span className="outcome outcome-success">Success</span>
      ),
  }),
  column.display({
    id: 'details',
    header: () => <span className="sr-only">Changes</span>,
    cell: (c) =>
      c.row.getCanExpand() ? (
        <button
          type="button"
          className="link audit-expand"
          aria-expanded={c.row.getIsExpanded()}
          aria-controls={`audit-diff-${c.row.id}`}
          aria-label={`${c.row.getIsExpanded() ? 'Hide' : 'Show'} the changes of event #${c.row.id}`}
          onClick={c.row.getToggleExpandedHandler()}
        >
          <span aria-hidden="true">{c.row.getIsExpanded() ? '▾ ' : '▸ '}</span>
          Changes
        </button>
      ) : null,
  }),
];

interface AuditTableProps {
  events: AuditEntry[];
  stale: boolean;
  /** Called when the person scrolls near the end of what is loaded. */
  onNearEnd: () => void;
}

/**
 * The events shown newest first in a virtualized table: only the rows in view are in the
 * page, so scrolling through thousands stays smooth. Each event is its own row group, so
 * that its expanded before/after diff is measured with it.
 */
export function AuditTable({ events, stale, onNearEnd }: AuditTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ExpandedState>({});

  // eslint-disable-next-line react-hooks/incompatible-library -- the table object is read fresh on every render, never memoized.
  const table = useReactTable({
    data: events,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (event) => String(event.seq),
    getRowCanExpand: (row) => hasDetails(row.original),
    state: { expanded },
    onExpandedChange: setExpanded,
  });
  const rows = table.getRowModel().rows;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 40,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = table.getVisibleLeafColumns().length;

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const el = event.currentTarget;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 400) onNearEnd();
  }

  return (
    <div
      ref={scrollRef}
      className={`audit-scroll${stale ? ' stale' : ''}`}
      onScroll={onScroll}
      tabIndex={0}
      role="region"
      aria-label="Audit events, newest first (scrolls)"
    >
      <table className="data-table audit-table" aria-label="Audit events" aria-busy={stale || undefined}>
        <colgroup>
          {table.getVisibleLeafColumns().map((c) => (
            <col key={c.id} className={`audit-col-${c.id}`} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {headerContent(header)}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        {paddingTop > 0 && (
          <tbody aria-hidden="true">
            <tr className="audit-spacer" style={{ height: paddingTop }}>
              <td colSpan={columnCount} />
            </tr>
          </tbody>
        )}
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <tbody key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="audit-event">
              <tr className={row.original.outcome === 'denied' ? 'audit-row denied' : 'audit-row'} data-seq={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`audit-cell-${cell.column.id}`}>
                    {cellContent(cell)}
                  </td>
                ))}
              </tr>
              {row.getIsExpanded() && (
                <tr className="audit-diff-row" id={`audit-diff-${row.id}`}>
                  <td colSpan={columnCount}>
                    <EventDiff event={row.original} />
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
        {paddingBottom > 0 && (
          <tbody aria-hidden="true">
            <tr className="audit-spacer" style={{ height: paddingBottom }}>
              <td colSpan={columnCount} />
            </tr>
          </tbody>
        )}
      </table>
    </div>
  );
}

/** A bulk job's one event links to its per-device results (issue 6). */
function JobResultsLink({ jobId }: { jobId: string }) {
  return (
    <button type="button" className="link audit-job-link" onClick={() => navigateTo(paths.job(jobId))}>
      Open results
    </button>
  );
}
