import type { RowSelectionState, Updater } from '@tanstack/react-table';
import { useCallback, useState } from 'react';
import type { UserSummary } from '../../../../shared/contract';
import { FormError } from '../../ui/FormError';
import { RoleChangeDialog } from '../parts/RoleChangeDialog';
import { NO_FILTERS, useTeam } from '../team-store';
import { BulkActionBar } from './BulkActionBar';
import { ColumnChooser } from './ColumnChooser';
import { MemberFilters } from './MemberFilters';
import { MembersGrid } from './MembersGrid';
import { Pager } from './Pager';
import { useMembers } from './use-members';

interface Selection {
  /** The filter set the selection was made under: another filter set starts with nothing selected. */
  key: string;
  rows: RowSelectionState;
  names: Record<string, string>;
}

interface RoleChange {
  user: UserSummary;
  index: number | null;
}

interface MembersTabProps {
  /** False when the caller may not create or invite: the empty list then does not offer it. */
  canCreate: boolean;
  onInvite: () => void;
  onCreate: () => void;
}

export function MembersTab({ canCreate, onInvite, onCreate }: MembersTabProps) {
  const members = useMembers();
  const filters = useTeam((s) => s.filters);
  const pageIndex = useTeam((s) => s.pageIndex);
  const setFilters = useTeam((s) => s.setFilters);
  const setPage = useTeam((s) => s.setPage);
  const [selection, setSelection] = useState<Selection>({ key: '', rows: {}, names: {} });
  const [roleChange, setRoleChange] = useState<RoleChange | null>(null);
  const notice = useTeam((s) => s.notice);
  const setNotice = useTeam((s) => s.setNotice);

  const current = selection.key === members.filterKey ? selection : { key: members.filterKey, rows: {}, names: {} };
  const selected = Object.keys(current.rows)
    .filter((id) => current.rows[id])
    .map((id) => ({ id, name: current.names[id] ?? id }));

  function onRowSelection(updater: Updater<RowSelectionState>) {
    const rows = typeof updater === 'function' ? updater(current.rows) : updater;
    // Selection survives paging, so names are remembered from the pages they were picked on.
    const names = { ...current.names };
    for (const user of members.users) if (rows[user.id]) names[user.id] = user.fullName || user.username;
    setSelection({ key: members.filterKey, rows, names });
  }

  const onRoleBadge = useCallback((user: UserSummary, index: number | null) => setRoleChange({ user, index }), []);
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  let body;
  if (members.initial) {
    body = <p className="loading">Loading members…</p>;
  } else if (members.error) {
    body = (
      <div className="row">
        <FormError message={`The members could not be loaded: ${members.error}`} />
        <button type="button" onClick={members.reload}>
          Try again
        </button>
      </div>
    );
  } else if (members.total === 0 && !members.loading) {
    body = filtered ? (
      <div className="empty-state">
        <p>No members match these filters.</p>
        <button type="button" onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      </div>
    ) : (
      <div className="empty-state">
        {canCreate ? (
          <p>There is nobody here you can see yet. Invite someone by email, or create an account and hand over its password.</p>
        ) : (
          <p>There is nobody here you can see. Your roles do not cover other people; ask an administrator if you need to.</p>
        )}
        {canCreate && (
          <div className="row">
            <button type="button" onClick={onInvite}>
              Invite someone by email…
            </button>
            <button type="button" onClick={onCreate}>
              Create an account…
            </button>
          </div>
        )}
      </div>
    );
  } else if (members.users.length === 0 && pageIndex > 0 && !members.loading) {
    body = (
      <div className="empty-state">
        <p>This page is empty now: the list got shorter.</p>
        <button type="button" onClick={() => setPage(0)}>
          Go to the first page
        </button>
      </div>
    );
  } else {
    body = (
      <MembersGrid
        users={members.users}
        total={members.total}
        loading={members.loading}
        rowSelection={current.rows}
        onRowSelection={onRowSelection}
        onRoleBadge={onRoleBadge}
      />
    );
  }

  return (
    <div className="members">
      <div className="members-toolbar">
        <MemberFilters />
        <div className="toolbar-end">
          <button type="button" onClick={members.reload} disabled={members.loading} aria-label="Refresh the members list">
            {members.loading && !members.initial ? 'Refreshing…' : 'Refresh'}
          </button>
          <ColumnChooser />
        </div>
      </div>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      {selected.length > 0 && (
        <BulkActionBar
          selected={selected}
          onClear={() => setSelection({ key: members.filterKey, rows: {}, names: {} })}
          onDone={(changed) => {
            const done = new Set(changed);
            const rows = Object.fromEntries(Object.entries(current.rows).filter(([id]) => !done.has(id)));
            setSelection({ ...current, rows });
            members.reload();
          }}
        />
      )}
      {body}
      {!members.initial && !members.error && members.total > 0 && <Pager total={members.total} />}
      {roleChange && (
        <RoleChangeDialog
          user={roleChange.user}
          index={roleChange.index}
          onClose={() => setRoleChange(null)}
          onReload={() => {
            setRoleChange(null);
            members.reload();
          }}
          onDone={(bindings) => {
            setRoleChange(null);
            const name = roleChange.user.fullName || roleChange.user.username;
            setNotice(`${name} now holds ${bindings.map((b) => `${b.roleName} at ${b.groupName}`).join(', ') || 'no role'}.`);
            members.reload();
          }}
        />
      )}
    </div>
  );
}
