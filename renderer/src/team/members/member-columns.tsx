import { createColumnHelper } from '@tanstack/react-table';
import type { UserSummary } from '../../../../shared/contract';
import { formatDateTime, KIND_LABELS, MFA_LABELS, STATUS_LABELS } from '../../ui/format';
import { RoleBadges } from '../parts/RoleBadges';

const column = createColumnHelper<UserSummary>();

interface ColumnActions {
  onOpen: (id: string) => void;
  onRoleBadge: (user: UserSummary, index: number | null) => void;
}

/** Column ids double as users.list sort keys where the server can sort by them. */
export function memberColumns({ onOpen, onRoleBadge }: ColumnActions) {
  return [
    column.display({
      id: 'select',
      enableHiding: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select every member on this page"
          checked={table.getIsAllPageRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = !table.getIsAllPageRowsSelected() && table.getIsSomePageRowsSelected();
          }}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.username}`}
          checked={row.getIsSelected()}
          disabled={!row.getCanSelect()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    }),
    column.accessor('username', {
      header: 'Username',
      enableHiding: false,
      cell: ({ row }) => (
        <button type="button" className="link member-link" data-user-id={row.original.id} onClick={() => onOpen(row.original.id)}>
          {row.original.username}
        </button>
      ),
    }),
    column.accessor('fullName', { header: 'Full name' }),
    column.accessor('email', { header: 'Email' }),
    column.accessor('company', { header: 'Company', cell: ({ getValue }) => getValue() || <span className="muted">—</span> }),
    column.accessor('kind', {
      header: 'Kind',
      cell: ({ getValue }) => <span className={`tag kind-${getValue()}`}>{KIND_LABELS[getValue()]}</span>,
    }),
    column.display({
      id: 'roles',
      header: 'Roles',
      cell: ({ row }) => <RoleBadges user={row.original} onChange={onRoleBadge} />,
    }),
    column.accessor('status', {
      header: 'Status',
      cell: ({ getValue }) => <span className={`status-pill ${getValue() === 'active' ? 'ok' : 'off'}`}>{STATUS_LABELS[getValue()]}</span>,
    }),
    column.accessor('mfa', {
      header: 'Two-step',
      enableSorting: false,
      cell: ({ getValue }) => <span className={`mfa mfa-${getValue()}`}>{MFA_LABELS[getValue()]}</span>,
    }),
    column.accessor('homeGroupName', { header: 'Home group' }),
    column.accessor('lastSignInAt', {
      header: 'Last sign-in',
      sortDescFirst: true,
      cell: ({ getValue }) => formatDateTime(getValue()),
    }),
  ];
}

/** What the column chooser calls each column. */
export const COLUMN_LABELS: Record<string, string> = {
  fullName: 'Full name',
  email: 'Email',
  company: 'Company',
  kind: 'Kind',
  roles: 'Roles',
  status: 'Status',
  mfa: 'Two-step',
  homeGroupName: 'Home group',
  lastSignInAt: 'Last sign-in',
};
