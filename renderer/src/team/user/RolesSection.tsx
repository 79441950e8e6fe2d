import { useState, type FormEvent } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { useGroups } from '../../state/groups-store';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';
import { ActionButton } from '../../ui/ActionButton';
import { RoleScopeFields } from '../parts/RoleScopeFields';
import { useRoles } from '../roles-store';
import { capitalize, scopeText } from '../scope-text';

type Binding = { roleId: string; groupId: string };

/**
 * The member's role bindings: each a role over a group's whole subtree. A role limited to
 * one kind of group (seed 004's Group Supervisor, seed 003's location roles) is added at
 * the groups ticked just below the role. Add and remove both go through the escalation guard.
 */
export function RolesSection({ user, onSaved, onReload }: { user: UserDetail; onSaved: (message: string) => void; onReload: () => void }) {
  const model = useGroups((s) => s.model);
  const roles = useRoles((s) => s.roles);
  const newIndex = user.bindings.length;
  const [adding, setAdding] = useState(false);
  const [roleId, setRoleId] = useState('');
  const [groupId, setGroupId] = useState<string | null>(user.homeGroupId);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  // One new binding per ticked group: a refusal of any of them is shown at the picker.
  const newGroupFields = Array.from({ length: Math.max(1, groupIds.length) }, (_, k) => `bindings.${newIndex + k}.groupId`);
  const form = useApiForm(['baseVersion', 'bindings', `bindings.${newIndex}.roleId`, ...newGroupFields]);
  const newGroupError = newGroupFields.map((f) => form.fieldError(f)).find((m) => m !== undefined);
  const [missing, setMissing] = useState<string | null>(null);
  const ownerRoleIds = new Set((roles ?? []).filter((r) => r.meaning === 'owner').map((r) => r.id));
  const current: Binding[] = user.bindings.map((b) => ({ roleId: b.roleId, groupId: b.groupId }));
  const lock = user.can.setRoles ? null : (user.can.reasons.setRoles ?? 'You cannot change the roles of this member');

  function save(bindings: Binding[], message: string) {
    void form.submit(
      () => invoke('users.setRoles', { userId: user.id, baseVersion: user.version, bindings }),
      () => {
        setAdding(false);
        setRoleId('');
        setGroupIds([]);
        onSaved(message);
      },
    );
  }

  function onAdd(event: FormEvent) {
    event.preventDefault();
    const role = roles?.find((r) => r.id === roleId);
    // A role limited to one kind of group gets one binding per ticked group; an empty list is refused, never "everything".
    const targets = role?.scopeKind ? groupIds : groupId ? [groupId] : [];
    if (!role || targets.length === 0) {
      setMissing(
        !role ? 'Choose a role' : role.scopeKind ? `Choose at least one ${role.scopeKind}` : 'Choose the group the role applies to',
      );
      return;
    }
    setMissing(null);
    const names = targets.map((id) => model?.nodes.get(id)?.group.name ?? 'the group').join(', ');
    save([...current, ...targets.map((id) => ({ roleId: role.id, groupId: id }))], `${role.name} at ${names} added.`);
  }

  return (
    <section className="panel user-section" aria-labelledby="user-roles">
      <h2 id="user-roles">Roles</h2>
      {user.bindings.length === 0 && user.hiddenBindings === 0 ? (
        <p className="empty-state">No role yet: {user.fullName || user.username} can sign in but sees nothing. Add a role below.</p>
      ) : (
        <table className="data-table" aria-label="Role bindings">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Applies to</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {user.bindings.map((binding, index) => (
              <tr key={`${binding.roleId}@${binding.groupId}`}>
                <th scope="row">
                  <span className={`role-badge${ownerRoleIds.has(binding.roleId) ? ' role-badge-owner' : ''}`}>{binding.roleName}</span>
                </th>
                <td>{capitalize(scopeText(binding.groupName, model, binding.groupId))}</td>
                <td>
                  <ActionButton
                    className="danger-outline"
                    reason={lock ?? (ownerRoleIds.has(binding.roleId) ? 'The Owner role changes hands only by ownership transfer' : null)}
                    disabled={form.pending}
                    aria-label={`Remove ${binding.roleName} at ${binding.groupName}`}
                    onClick={() =>
                      save(
                        current.filter((_, i) => i !== index),
                        `${binding.roleName} at ${binding.groupName} removed.`,
                      )
                    }
                  >
                    Remove
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {user.hiddenBindings > 0 && (
        <p className="hint">
          {user.hiddenBindings === 1 ? 'One more role' : `${user.hiddenBindings} more roles`} at groups you may not see.
        </p>
      )}
      {!adding && <FormError message={form.formError ?? form.fieldError('bindings') ?? null} />}
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="member" onReload={onReload} />
      {adding ? (
        <form onSubmit={onAdd} noValidate className="add-binding">
          <h3>Add a role</h3>
          <RoleScopeFields
            roleId={roleId}
            groupId={groupId}
            onRole={(id) => {
              setRoleId(id);
              setGroupIds([]);
            }}
            onGroup={setGroupId}
            groupIds={groupIds}
            onGroups={setGroupIds}
            roleError={form.fieldError(`bindings.${newIndex}.roleId`)}
            groupError={newGroupError}
            groupLabel="Applies to group"
          />
          <FormError message={missing ?? form.formError ?? form.fieldError('bindings') ?? null} />
          <div className="form-actions">
            <button type="button" onClick={() => setAdding(false)}>
              Cancel
            </button>
            <button type="submit" className="primary inline" disabled={form.pending}>
              {form.pending ? 'Adding…' : 'Add role'}
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <ActionButton reason={lock} onClick={() => setAdding(true)}>
            Add a role…
          </ActionButton>
        </div>
      )}
    </section>
  );
}
