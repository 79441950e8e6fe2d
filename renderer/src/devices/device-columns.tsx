import { createColumnHelper } from '@tanstack/react-table';
import type { DeviceRow } from '../../../shared/contract';
import { DEVICE_KIND_LABELS } from '../../../shared/contract';
import { assigneeName, GroupCell, LastBackup, StatusBadge } from './device-format';

const column = createColumnHelper<DeviceRow>();

export interface RowSelection {
  isSelected(id: string): boolean;
  toggle(row: DeviceRow, selected: boolean): void;
  /** The header box: every matching device, some, or none. */
  header: 'all' | 'some' | 'none';
  onHeader(selectAll: boolean): void;
  /** "Select all 12,408 matching devices". */
  headerLabel: string;
}

/** Column ids double as devices.list sort columns; assignees cannot be sorted by. */
export function deviceColumns(onOpen: (id: string) => void, selection: RowSelection | null) {
  const columns = [
    column.accessor('name', {
      header: 'Name',
      cell: ({ row }) => (
        <button type="button" className="link device-link" onClick={() => onOpen(row.original.id)}>
          {row.original.name}
        </button>
      ),
    }),
    column.accessor('kind', { header: 'Kind', cell: ({ getValue }) => DEVICE_KIND_LABELS[getValue()] }),
    column.accessor('os', { header: 'OS' }),
    column.accessor('status', { header: 'Status', cell: ({ getValue }) => <StatusBadge status={getValue()} /> }),
    column.accessor('lastBackupAt', {
      header: 'Last backup',
      sortDescFirst: true,
      cell: ({ getValue }) => <LastBackup at={getValue()} />,
    }),
    column.accessor('groupName', {
      id: 'group',
      header: 'Group',
      cell: ({ row }) => <GroupCell groupId={row.original.groupId} groupName={row.original.groupName} />,
    }),
    column.accessor('assignees', {
      header: 'Assignees',
      enableSorting: false,
      cell: ({ getValue }) => {
        const people = getValue();
        if (people.length === 0) return <span className="muted">Unassigned</span>;
        const names = people.map(assigneeName);
        return (
          <span title={names.join(', ')}>
            {names.length > 2 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ')}
          </span>
        );
      },
    }),
  ];
  if (!selection) return columns;
  const select = column.display({
    id: 'select',
    header: () => (
      <input
        type="checkbox"
        aria-label={selection.headerLabel}
        title={selection.headerLabel}
        checked={selection.header === 'all'}
        ref={(el) => {
          if (el) el.indeterminate = selection.header === 'some';
        }}
        onChange={(e) => selection.onHeader(e.target.checked)}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select ${row.original.name}`}
        checked={selection.isSelected(row.original.id)}
        onChange={(e) => selection.toggle(row.original, e.target.checked)}
      />
    ),
  });
  return [select, ...columns];
}
