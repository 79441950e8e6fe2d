import { getCoreRowModel, useReactTable, type RowSelectionState, type Updater } from '@tanstack/react-table';
import { useMemo, type MouseEvent } from 'react';
import type { UserSummary } from '../../../../shared/contract';
import { USER_SORTS } from '../../../../shared/contract';
import { applyUpdater, cellContent, isOnRowControl, SERVER_ROWS, SortableHeaderRows } from '../../ui/table-parts';
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
    ...SERVER_ROWS,
    rowCount: total,
    enableRowSelection: true,
    state: { sorting, pagination: { pageIndex, pageSize }, rowSelection, columnVisibility },
    onSortingChange: (updater) => setSorting(applyUpdater(updater, sorting)),
    onPaginationChange: (updater) => {
      const next = applyUpdater(updater, { pageIndex, pageSize });
      setPage(next.pageIndex, next.pageSize);
    },
    onRowSelectionChange: onRowSelection,
    onColumnVisibilityChange: (updater) => setColumnVisibility(applyUpdater(updater, columnVisibility)),
  });

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, id: string) {
    if (isOnRowControl(event)) return;
    openUser(id);
  }

  return (
    <div className={`grid-scroll${loading ? ' stale' : ''}`}>
      <table className="data-table members-table" aria-label="Members" aria-busy={loading || undefined} aria-rowcount={total + 1}>
        <thead>
          <SortableHeaderRows table={table} sortable={SORTABLE} columnClass={(id) => `col-${id}`} />
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
                  {cellContent(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
