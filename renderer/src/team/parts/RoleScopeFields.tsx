import { useEffect } from 'react';
import { GroupPicker } from '../../groups/GroupPicker';
import { useGroups } from '../../groups/groups-store';
import { SelectField } from '../../ui/SelectField';
import { bindableRoles, useRoles } from '../roles-store';
import { capitalize, scopeText } from '../scope-text';

interface RoleScopeFieldsProps {
  roleId: string;
  groupId: string | null;
  onRole: (roleId: string) => void;
  onGroup: (groupId: string) => void;
  roleError?: string | undefined;
  groupError?: string | undefined;
  groupLabel?: string;
}

/** A role and the group it applies at; the scope is always spelled out, never left to mean "everything". */
export function RoleScopeFields({ roleId, groupId, onRole, onGroup, roleError, groupError, groupLabel = 'Scope' }: RoleScopeFieldsProps) {
  const roles = useRoles((s) => s.roles);
  const rolesError = useRoles((s) => s.error);
  const model = useGroups((s) => s.model);

  useEffect(() => {
    if (!useRoles.getState().roles) void useRoles.getState().load();
    if (!useGroups.getState().model) void useGroups.getState().load();
  }, []);

  const choices = bindableRoles(roles ?? [], model, groupId);
  const chosen = choices.find((r) => r.id === roleId);
  const groupName = groupId ? (model?.nodes.get(groupId)?.group.name ?? '') : '';

  return (
    <div className="role-scope">
      <SelectField
        label="Role"
        value={chosen ? roleId : ''}
        onChange={onRole}
        error={roleError ?? (rolesError ? `The roles could not be loaded: ${rolesError}` : undefined)}
        hint={chosen?.description}
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
      <GroupPicker label={groupLabel} selectedId={groupId} onSelect={onGroup} error={groupError} />
      {groupId && (
        <p className="scope-text" data-testid="scope-text">
          {chosen
            ? `${chosen.name} over the ${scopeText(groupName, model, groupId)}.`
            : `${capitalize(scopeText(groupName, model, groupId))}.`}
        </p>
      )}
    </div>
  );
}
