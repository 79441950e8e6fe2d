import type { RoleListItem, RoleSummary } from '../../../shared/contract';
import { missingAt, placeOf } from '../state/missing-permission';
import { useMyAccess } from '../state/my-access';
import { useGroups } from '../state/groups-store';
import { plural } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { TableHead } from '../ui/TableHead';
import { ownerText, SCOPE_KIND_LABELS, VISIBILITY_LABELS } from './role-words';

interface RoleListProps {
  roles: readonly RoleListItem[];
  openId: string | null;
  compareIds: readonly string[];
  onOpen: (id: string) => void;
  onCompare: (id: string, on: boolean) => void;
  onDelete: (role: RoleSummary) => void;
}

/** Every role the caller may see; built-in ones first, then custom ones by name. */
export function RoleList({ roles, openId, compareIds, onOpen, onCompare, onDelete }: RoleListProps) {
  const access = useMyAccess((s) => s.access);
  const model = useGroups((s) => s.model);
  const sorted = [...roles].sort((a, b) => Number(!a.builtin) - Number(!b.builtin) || a.name.localeCompare(b.name));

  function deleteLock(role: RoleSummary): string | null {
    if (role.builtin) return 'Built-in roles are protected and cannot be deleted.';
    const place = access && role.ownerGroupId ? placeOf(role.ownerGroupId, access, model) : null;
    return access && place ? missingAt(access, 'roles.delete', place) : null;
  }

  return (
    <table className="data-table role-list" aria-label="Roles">
      <TableHead columns={['Role', 'Owner group', 'Devices', 'Permissions', 'Holders', 'Compare']} actions="Actions" />
      <tbody>
        {sorted.map((role) => {
          return (
            <tr key={role.id} className={role.id === openId ? 'selected' : undefined}>
              <th scope="row">
                <button type="button" className="link" onClick={() => onOpen(role.id)} aria-label={`Open ${role.name}`}>
                  {role.name}
                </button>
                {role.builtin && <span className="tag">Built-in</span>}
                {role.protected && <span className="tag">Protected</span>}
                {role.description && <div className="muted role-description">{role.description}</div>}
              </th>
              <td>
                {ownerText(role, model)}
                {role.scopeKind && <div className="muted">{SCOPE_KIND_LABELS[role.scopeKind]}</div>}
              </td>
              <td>{VISIBILITY_LABELS[role.deviceVisibility]}</td>
              <td>{plural(role.permissions.length, 'permission', 'permissions')}</td>
              <td data-testid="role-holders">{plural(role.holderCount, 'person', 'people')}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare ${role.name}`}
                  checked={role.id === openId || compareIds.includes(role.id)}
                  disabled={role.id === openId}
                  title={role.id === openId ? 'Open in the editor' : 'Show beside the open role in the matrix'}
                  onChange={(e) => onCompare(role.id, e.target.checked)}
                />
              </td>
              <td>
                <ActionButton
                  quiet
                  className="danger-outline"
                  reason={deleteLock(role)}
                  onClick={() => onDelete(role)}
                  aria-label={`Delete ${role.name}`}
                >
                  Delete…
                </ActionButton>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
