import { getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { DeviceRow } from '../../../shared/contract';
import { DEVICE_SORTS } from '../../../shared/contract';
import { applyUpdater, cellContent, isOnRowControl, SERVER_ROWS, SortableHeaderRows } from '../ui/table-parts';
import { deviceColumns, type RowSelection } from './device-columns';
import type { DeviceList } from './use-device-list';

const ROW_HEIGHT = 41;
const SORTABLE = new Set<string>(DEVICE_SORTS);

interface DevicesGridProps {
  label: string;
  list: DeviceList;
  sorting: SortingState;
  onSorting: (sorting: SortingState) => void;
  selection: RowSelection | null;
  onOpen: (id: string) => void;
  /** A shorter list, for a section of another page. */
  compact?: boolean;
}

/** Stands for the rows scrolled out of the page, so the scrollbar measures the whole list. */
function SpacerRow({ height, columnCount }: { height: number; columnCount: number }) {
  if (height <= 0) return null;
  return (
    <tr className="devices-spacer" aria-hidden="true" style={{ height }}>
      <td colSpan={columnCount} />
    </tr>
  );
}

/**
 * Every matching device as one scrolling table, however many: only the rows in view (and a
 * few around them) are in the page, and their windows are fetched from the server as they
 * come into view. Sorting and filtering are the server's (TanStack Table in manual mode).
 */
export function DevicesGrid({ label, list, sorting, onSorting, selection, onOpen, compact }: DevicesGridProps) {
  const { windows, view, key: askedKey, stale } = list;
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = view.total ?? 0;

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer and the table are read fresh on every render, never memoized.
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    windows.ensure(first, last);
  }, [windows, first, last, view]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [askedKey]);

  // TanStack sees only the loaded rows in view: a 100,000-row model per render would be the slow part.
  const data = useMemo(() => {
    const seen = new Set<string>();
    const rows: DeviceRow[] = [];
    for (let i = first; i <= last; i++) {
      const row = view.rowAt(i);
      if (row && !seen.has(row.id)) {
        seen.add(row.id);
        rows.push(row);
      }
    }
    return rows;
  }, [view, first, last]);
  const columns = useMemo(() => deviceColumns(onOpen, selection), [onOpen, selection]);

  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (device) => device.id,
    ...SERVER_ROWS,
    rowCount: total,
    state: { sorting },
    onSortingChange: (updater) => onSorting(applyUpdater(updater, sorting)),
  });
  const byId = table.getRowModel().rowsById;
  const columnCount = table.getVisibleLeafColumns().length;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, id: string) {
    if (isOnRowControl(event)) return;
    onOpen(id);
  }

  return (
    <div
      ref={scrollRef}
      className={`devices-scroll${compact ? ' compact' : ''}${stale ? ' stale' : ''}`}
      tabIndex={0}
      role="region"
      aria-label={`${label} (scrolls)`}
    >
      <table className="data-table devices-table" aria-label={label} aria-busy={stale || undefined} aria-rowcount={total + 1}>
        <thead>
          <SortableHeaderRows table={table} sortable={SORTABLE} columnClass={(id) => `device-col-${id}`} />
        </thead>
        <tbody>
          <SpacerRow height={paddingTop} columnCount={columnCount} />
          {items.map((item) => {
            const device = view.rowAt(item.index);
            const row = device ? byId[device.id] : undefined;
            if (!row) {
              return (
                <tr key={item.index} className="device-row pending" aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                  <td colSpan={columnCount} className="muted">
                    Loading…
                  </td>
                </tr>
              );
            }
            const selected = selection?.isSelected(row.id) ?? false;
            return (
              <tr
                key={item.index}
                className={`device-row${selected ? ' selected' : ''}`}
                aria-rowindex={item.index + 2}
                data-device-id={row.id}
                style={{ height: ROW_HEIGHT }}
                onClick={(event) => onRowClick(event, row.id)}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`device-col-${cell.column.id}`}>
                    {cellContent(cell)}
                  </td>
                ))}
              </tr>
            );
          })}
          <SpacerRow height={paddingBottom} columnCount={columnCount} />
        </tbody>
      </table>
    </div>
  );
}
