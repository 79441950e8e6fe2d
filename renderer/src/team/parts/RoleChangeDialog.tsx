import { useEffect, useState, type FormEvent } from 'react';
import type { BindingSummary, UserSummary } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { useGroups } from '../../state/groups-store';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { SelectField } from '../../ui/SelectField';
import { useApiForm } from '../../ui/use-api-form';
import { bindableRoles, useRoles } from '../roles-store';
import { scopeText } from '../scope-text';

interface RoleChangeDialogProps {
  user: UserSummary;
  /** The binding whose role changes, or null to give a member without a role one at their home group. */
  index: number | null;
  onClose: () => void;
  onDone: (bindings: BindingSummary[]) => void;
  /** After a change refused as made from a stale row: close and fetch the list again. */
  onReload: () => void;
}

/**
 * Seed 000: click the role badge to assign a different role, effective at once. The scope
 * stays; only the role changes. The server's escalation guard answers with its reason.
 */
export function RoleChangeDialog({ user, index, onClose, onDone, onReload }: RoleChangeDialogProps) {
  const roles = useRoles((s) => s.roles);
  const model = useGroups((s) => s.model);
  const binding = index === null ? null : (user.bindings[index] ?? null);
  const groupId = binding?.groupId ?? user.homeGroupId;
  const groupName = binding?.groupName ?? user.homeGroupName;
  const [roleId, setRoleId] = useState(binding?.roleId ?? '');
  const position = index ?? user.bindings.length;
  const form = useApiForm([`bindings.${position}.roleId`, `bindings.${position}.groupId`, 'baseVersion']);
  const name = user.fullName || user.username;

  useEffect(() => {
    if (!useRoles.getState().roles) void useRoles.getState().load();
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  // The scope stays, so a role limited to another kind of group (e.g. Group Supervisor at a company) is not offered.
  const groupKind = model?.nodes.get(groupId)?.group.kind;
  const choices = bindableRoles(roles ?? [], model, groupId).filter((r) => !r.scopeKind || r.scopeKind === groupKind);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (roleId === binding?.roleId) {
      onClose();
      return;
    }
    const bindings = user.bindings.map((b) => ({ roleId: b.roleId, groupId: b.groupId }));
    if (index === null) bindings.push({ roleId, groupId });
    else bindings[index] = { roleId, groupId };
    void form.submit(
      () => invoke('users.setRoles', { userId: user.id, baseVersion: user.version, bindings }),
      (value) => onDone(value.bindings),
    );
  }

  return (
    <Dialog
      title={`Change the role of ${name}`}
      onClose={onClose}
      description={
        <p>
          At {groupName}: {scopeText(groupName, model, groupId)}. The change takes effect at once.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <SelectField
          label="Role"
          value={roleId}
          onChange={setRoleId}
          error={form.fieldError(`bindings.${position}.roleId`) ?? form.fieldError(`bindings.${position}.groupId`)}
          hint={choices.find((r) => r.id === roleId)?.description}
          disabled={!roles}
        >
          <option value="" disabled>
            {roles ? 'Choose a role' : 'Loading roles…'}
          </option>
          {choices.map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </SelectField>
        <FormError message={form.formError} />
        <StaleCopyNotice message={form.fieldError('baseVersion')} what="member" onReload={onReload} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending || !roleId}>
            {form.pending ? 'Changing…' : 'Change role'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
