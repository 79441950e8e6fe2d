import type { Cell, Header, Table, Updater } from '@tanstack/react-table';
import type { MouseEvent, ReactNode } from 'react';

/** Table options for rows the server sorts, filters and pages: TanStack shows them as given and sorts by one column at a time. */
export const SERVER_ROWS = {
  manualSorting: true,
  manualFiltering: true,
  manualPagination: true,
  enableMultiSort: false,
  enableSortingRemoval: false,
} as const;

/** TanStack hands state changes over as a value or a function of the old value; this gives the new value either way. */
export function applyUpdater<T>(updater: Updater<T>, old: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(old) : updater;
}

/** A click on a row's own controls (checkbox, link, button) does their own thing, not the row's. */
export function isOnRowControl(event: MouseEvent<HTMLElement>): boolean {
  return (event.target as HTMLElement).closest('button, input, a, label, select') !== null;
}

/**
 * A cell's content from its column definition, called as a function rather than mounted as a
 * component (TanStack's flexRender mounts it, with the function as the component type). A grid
 * rebuilds its columns when what they close over changes, its selection say; mounted, every
 * rebuild was a new component type, so React replaced the cell's checkbox and the focus on it
 * fell to the page (issue 15). Called, the same elements are updated in place. Column
 * definitions hold no hooks (react-hooks/rules-of-hooks refuses them there).
 */
export function cellContent<Row, Value>(cell: Cell<Row, Value>): ReactNode {
  const render = cell.column.columnDef.cell;
  return typeof render === 'function' ? (render(cell.getContext()) as ReactNode) : render;
}

/** A header's content, called like `cellContent` and for the same reason; nothing for a placeholder header. */
export function headerContent<Row, Value>(header: Header<Row, Value>): ReactNode {
  if (header.isPlaceholder) return null;
  const render = header.column.columnDef.header;
  return typeof render === 'function' ? (render(header.getContext()) as ReactNode) : render;
}

interface SortableHeaderRowsProps<Row> {
  table: Table<Row>;
  /** Column ids the server can sort by; only these get a sort button. */
  sortable: ReadonlySet<string>;
  /** The class of a column's header and cells. */
  columnClass: (columnId: string) => string;
}

/** The header rows of a server-sorted table: sortable columns are buttons and say their order to screen readers. */
export function SortableHeaderRows<Row>({ table, sortable, columnClass }: SortableHeaderRowsProps<Row>) {
  return table.getHeaderGroups().map((group) => (
    <tr key={group.id} aria-rowindex={1}>
      {group.headers.map((header) => {
        const canSort = sortable.has(header.column.id) && header.column.getCanSort();
        const sorted = header.column.getIsSorted();
        const title = headerContent(header);
        return (
          <th
            key={header.id}
            scope="col"
            className={columnClass(header.column.id)}
            aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
          >
            {canSort ? (
              <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                {title}
                <span className="sort-mark" aria-hidden="true">
                  {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                </span>
              </button>
            ) : (
              title
            )}
          </th>
        );
      })}
    </tr>
  ));
}
