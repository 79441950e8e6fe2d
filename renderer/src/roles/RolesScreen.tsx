import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { OPENED_FROM } from '../routes/paths';
import type { RoleSummary } from '../../../shared/contract';
import { useMissingPermission } from '../state/missing-permission';
import { useGroups } from '../state/groups-store';
import { ActionButton } from '../ui/ActionButton';
import { FormError } from '../ui/FormError';
import { KeepsFocus } from '../ui/KeepsFocus';
import { DeleteRoleDialog } from './DeleteRoleDialog';
import { NewRoleDialog } from './NewRoleDialog';
import { RoleEditor } from './RoleEditor';
import { RoleList } from './RoleList';
import { useRoleDetail } from './use-role-detail';
import { useRoleList } from './use-role-list';
import { useRolesView } from './roles-view';
import './roles.css';

type Open = { kind: 'new'; copyOf: RoleSummary | null } | { kind: 'delete'; role: RoleSummary } | null;

/** Seed 002's roles page and issue 5's matrix editor: list, create, compare, edit through a preview, history, delete. */
export function RolesScreen() {
  const { roles, error, reload } = useRoleList();
  const { compareIds, notice, open, setCompare, setNotice } = useRolesView();
  const openId = useParams().roleId ?? null;
  const [dialog, setDialog] = useState<Open>(null);
  const createLock = useMissingPermission('roles.create');

  useEffect(() => {
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  const openRole = roles?.find((r) => r.id === openId) ?? null;
  // New role starts where the screen was opened from (`/roles?group=<id>`, a group's page), else at the open custom role's group.
  const [params] = useSearchParams();
  const lookingAt = params.get(OPENED_FROM) ?? (openRole && !openRole.builtin ? openRole.ownerGroupId : null);
  const compared = (roles ?? []).filter((r) => compareIds.includes(r.id) && r.id !== openId);
  const customCount = (roles ?? []).filter((r) => !r.builtin).length;

  return (
    <div className="page roles">
      <div className="page-head">
        <h1>Roles</h1>
        <ActionButton quiet className="primary" reason={createLock} onClick={() => setDialog({ kind: 'new', copyOf: null })}>
          New role…
        </ActionButton>
      </div>
      <p className="muted">
        A role is a set of permissions. Built-in roles are fixed; a custom role belongs to a group and can be given to people in its
        subtree. Changes apply at once to everyone who holds the role.
      </p>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      {error ? (
        <FormError message={`The roles could not be loaded: ${error}`} />
      ) : !roles ? (
        <p className="loading">Loading roles…</p>
      ) : (
        <>
          <RoleList
            roles={roles}
            openId={openId}
            compareIds={compareIds}
            onOpen={open}
            onCompare={(id, on) => setCompare(on ? [...compareIds, id] : compareIds.filter((x) => x !== id))}
            onDelete={(role) => setDialog({ kind: 'delete', role })}
          />
          {customCount === 0 && (
            <div className="empty-state" data-testid="roles-empty">
              <p>
                No custom roles yet. {createLock ? 'Someone with the permission to create roles can add one.' : 'Choose New role… to start'}{' '}
                {createLock ? '' : 'from nothing, a copy of a built-in role, or a template.'}
              </p>
            </div>
          )}
          {openId ? (
            <OpenRole
              key={openId}
              id={openId}
              compare={compared}
              onSaved={(message) => {
                setNotice(message);
                reload();
              }}
              onCopy={() => openRole && setDialog({ kind: 'new', copyOf: openRole })}
            />
          ) : (
            <p className="muted matrix-hint">Open a role to see its permissions in the matrix; tick Compare to show others beside it.</p>
          )}
        </>
      )}
      {dialog?.kind === 'new' && roles && (
        <NewRoleDialog
          roles={roles}
          defaultOwnerGroupId={lookingAt}
          copyOf={dialog.copyOf}
          onClose={() => setDialog(null)}
          onCreated={(id, name) => {
            setDialog(null);
            setNotice(`${name} created. Tick its permissions in the matrix, then review and save.`);
            open(id);
            reload();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteRoleDialog
          role={dialog.role}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setNotice(`${dialog.role.name} deleted.`);
            if (openId === dialog.role.id) open(null);
            setCompare(compareIds.filter((id) => id !== dialog.role.id));
            reload();
          }}
        />
      )}
    </div>
  );
}

function OpenRole({
  id,
  compare,
  onSaved,
  onCopy,
}: {
  id: string;
  compare: RoleSummary[];
  onSaved: (m: string) => void;
  onCopy: () => void;
}) {
  const { role, error, reload } = useRoleDetail(id);
  if (error) return <FormError message={`The role could not be loaded: ${error}`} />;
  if (!role) return <p className="loading">Loading the role…</p>;
  return (
    <KeepsFocus version={`${role.id}:${role.version}`}>
      <RoleEditor
        key={`${role.id}:${role.version}`}
        role={role}
        compare={compare}
        onReload={reload}
        onSaved={(message) => {
          reload();
          onSaved(message);
        }}
        onCopy={onCopy}
      />
    </KeepsFocus>
  );
}
