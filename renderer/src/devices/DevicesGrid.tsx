import { getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { DeviceRow } from '../../../shared/contract';
import { DEVICE_SORTS } from '../../../shared/contract';
import { applyUpdater, cellContent, isOnRowControl, SERVER_ROWS, SortableHeaderRows } from '../ui/table-parts';
import { deviceColumns, type RowSelection } from './device-columns';
import { listTopAt, maxScrollPx, scrolledRows, scrollTopFor, type ScrollGeometry } from './scaled-scroll';
import type { DeviceList } from './use-device-list';

const ROW_HEIGHT = 41;
const OVERSCAN = 15;
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
 * The keys that move through the list by rows and pages. Once the list is taller than the scroll
 * area can be (scaled-scroll.ts), a browser's own page step would skip rows, so they are the grid's.
 */
function listStep(event: KeyboardEvent, g: ScrollGeometry, listTop: number): number | null {
  const rows = Math.max(1, Math.floor(g.viewport / g.rowHeight));
  const end = g.total * g.rowHeight;
  switch (event.key) {
    case 'Home':
      return 0;
    case 'End':
      return end;
    case 'PageDown':
      return listTop + rows * g.rowHeight;
    case 'PageUp':
      return listTop - rows * g.rowHeight;
    case 'ArrowDown':
      return listTop + g.rowHeight;
    case 'ArrowUp':
      return listTop - g.rowHeight;
    default:
      return null;
  }
}

/**
 * Every matching device as one scrolling table, however many: only the rows in view (and a
 * few around them) are in the page, and their windows are fetched from the server as they
 * come into view. A list taller than a browser allows scrolls scaled (scaled-scroll.ts), so the
 * last row is reached by the scrollbar, the wheel and End alike. Sorting and filtering are the
 * server's (TanStack Table in manual mode).
 */
export function DevicesGrid({ label, list, sorting, onSorting, selection, onOpen, compact }: DevicesGridProps) {
  const { windows, view, key: askedKey, stale } = list;
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const total = view.total ?? 0;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  // The rows' share of the scroll area: its height less the sticky header, followed as the window resizes.
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const measure = () => setViewport(Math.max(ROW_HEIGHT, scroller.clientHeight - (headRef.current?.offsetHeight ?? 0)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  const geometry: ScrollGeometry = { total, rowHeight: ROW_HEIGHT, viewport, maxPx: maxScrollPx() };
  const shown = scrolledRows(geometry, scrollTop, OVERSCAN);
  const first = shown.first;
  const last = Math.max(first, shown.last);
  const indexes = Array.from({ length: Math.max(0, shown.last - shown.first + 1) }, (_, i) => first + i);

  useEffect(() => {
    windows.ensure(first, last);
  }, [windows, first, last, view]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  }, [askedKey]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if ((event.target as HTMLElement).closest('input, select, textarea')) return;
    const scroller = scrollRef.current;
    if (!scroller) return;
    const to = listStep(event, geometry, listTopAt(geometry, scroller.scrollTop));
    if (to === null) return;
    event.preventDefault();
    scroller.scrollTop = scrollTopFor(geometry, to);
  }

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

  // eslint-disable-next-line react-hooks/incompatible-library -- the table is read fresh on every render, never memoized.
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
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <table className="data-table devices-table" aria-label={label} aria-busy={stale || undefined} aria-rowcount={total + 1}>
        <thead ref={headRef}>
          <SortableHeaderRows table={table} sortable={SORTABLE} columnClass={(id) => `device-col-${id}`} />
        </thead>
        <tbody>
          <SpacerRow height={shown.padTop} columnCount={columnCount} />
          {indexes.map((index) => {
            const device = view.rowAt(index);
            const row = device ? byId[device.id] : undefined;
            if (!row) {
              return (
                <tr key={index} className="device-row pending" aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }}>
                  <td colSpan={columnCount} className="muted">
                    Loading…
                  </td>
                </tr>
              );
            }
            const selected = selection?.isSelected(row.id) ?? false;
            return (
              <tr
                key={index}
                className={`device-row${selected ? ' selected' : ''}`}
                aria-rowindex={index + 2}
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
          <SpacerRow height={shown.padBottom} columnCount={columnCount} />
        </tbody>
      </table>
    </div>
  );
}
