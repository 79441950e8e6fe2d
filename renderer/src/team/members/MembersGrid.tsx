import { flexRender, getCoreRowModel, useReactTable, type RowSelectionState, type Updater } from '@tanstack/react-table';
import { useMemo, type MouseEvent } from 'react';
import type { UserSummary } from '../../../../shared/contract';
import { USER_SORTS } from '../../../../shared/contract';
import { useTeam } from '../team-store';
import { memberColumns } from './member-columns';

interface MembersGridProps {
  users: UserSummary[];
  total: number;
  loading: boolean;
  rowSelection: RowSelectionState;
  onRowSelection: (updater: Updater<RowSelectionState>) => void;
  onRoleBadge: (user: UserSummary, index: number | null) => void;
}

function apply<T>(updater: Updater<T>, old: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(old) : updater;
}

const SORTABLE = new Set<string>(USER_SORTS);

/** The members table: TanStack Table in manual mode, so what is shown is exactly the page SQLite returned. */
export function MembersGrid({ users, total, loading, rowSelection, onRowSelection, onRoleBadge }: MembersGridProps) {
  const { sorting, pageIndex, pageSize, columnVisibility, setSorting, setPage, setColumnVisibility, openUser } = useTeam();
  const columns = useMemo(() => memberColumns({ onOpen: openUser, onRoleBadge }), [openUser, onRoleBadge]);

  // eslint-disable-next-line react-hooks/incompatible-library -- the table object is read fresh on every render, never memoized.
  const table = useReactTable({
    data: users,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (user) => user.id,
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    rowCount: total,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: true,
    state: { sorting, pagination: { pageIndex, pageSize }, rowSelection, columnVisibility },
    onSortingChange: (updater) => setSorting(apply(updater, sorting)),
    onPaginationChange: (updater) => {
      const next = apply(updater, { pageIndex, pageSize });
      setPage(next.pageIndex, next.pageSize);
    },
    onRowSelectionChange: onRowSelection,
    onColumnVisibilityChange: (updater) => setColumnVisibility(apply(updater, columnVisibility)),
  });

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, id: string) {
    // Clicks on the row's own controls (checkbox, role badge, name) do their own thing.
    if ((event.target as HTMLElement).closest('button, input, a, label, select')) return;
    openUser(id);
  }

  return (
    <div className={`grid-scroll${loading ? ' stale' : ''}`}>
      <table className="data-table members-table" aria-label="Members" aria-busy={loading || undefined} aria-rowcount={total + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortable = SORTABLE.has(header.column.id) && header.column.getCanSort();
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={`col-${header.column.id}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row, index) => (
            <tr
              key={row.id}
              aria-rowindex={pageIndex * pageSize + index + 2}
              className={`member-row${row.getIsSelected() ? ' selected' : ''}${row.original.status === 'disabled' ? ' disabled-user' : ''}`}
              onClick={(event) => onRowClick(event, row.id)}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
