import { useEffect } from 'react';
import { KIND_LABELS } from '../../../../shared/access/groups';
import { GroupPicker } from '../../ui/GroupPicker';
import { useGroups } from '../../state/groups-store';
import { SelectField } from '../../ui/SelectField';
import { bindableRoles, useRoles } from '../roles-store';
import { capitalize, scopeListText, scopeText } from '../scope-text';
import { companyIdOf, KindGroupChecklist } from './KindGroupChecklist';

interface RoleScopeFieldsProps {
  roleId: string;
  groupId: string | null;
  onRole: (roleId: string) => void;
  onGroup: (groupId: string) => void;
  roleError?: string | undefined;
  groupError?: string | undefined;
  groupLabel?: string;
  /**
   * When given, a role limited to one kind of group (Group Supervisor, the location roles)
   * is bound at every group ticked here, one binding each; otherwise at the one group picked.
   */
  groupIds?: readonly string[];
  onGroups?: (ids: string[]) => void;
}

/** A role and the group(s) it applies at; the scope is always spelled out, never left to mean "everything". */
export function RoleScopeFields(props: RoleScopeFieldsProps) {
  const { roleId, groupId, onRole, onGroup, roleError, groupError, groupLabel = 'Scope', groupIds, onGroups } = props;
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
  const kind = chosen?.scopeKind ?? null;
  const kindLabel = kind ? KIND_LABELS[kind].toLowerCase() : '';
  // A kind-limited role may only sit at groups of its kind: the others stay listed with the reason.
  const reasonAgainst = (id: string) =>
    chosen && kind && model?.nodes.get(id)?.group.kind !== kind ? `${chosen.name} must be bound to a ${kindLabel}` : null;
  const listNames = (groupIds ?? []).map((id) => model?.nodes.get(id)?.group.name ?? id);

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
      {chosen && kind && onGroups ? (
        <>
          <KindGroupChecklist
            kind={kind}
            within={companyIdOf(model, groupId)}
            selected={groupIds ?? []}
            onChange={onGroups}
            legend={`${KIND_LABELS[kind]}s ${chosen.name} applies to`}
            hint={`Choose one or more. ${chosen.name} can only be held at a ${kindLabel}.`}
            error={groupError}
          />
          <p className="scope-text" data-testid="scope-text">
            {chosen.name} over {scopeListText(kind, listNames)}.
          </p>
        </>
      ) : (
        <>
          <GroupPicker label={groupLabel} selectedId={groupId} onSelect={onGroup} reasonAgainst={reasonAgainst} error={groupError} />
          {groupId && (
            <p className="scope-text" data-testid="scope-text">
              {chosen
                ? `${chosen.name} over the ${scopeText(groupName, model, groupId)}.`
                : `${capitalize(scopeText(groupName, model, groupId))}.`}
            </p>
          )}
        </>
      )}
    </div>
  );
}
