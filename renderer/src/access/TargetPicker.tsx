import { TARGET_TYPES } from '../../../shared/contract';
import { GroupPicker } from '../ui/GroupPicker';
import { Field } from '../ui/Field';
import { SelectField } from '../ui/SelectField';
import { UserPicker, type PickedUser } from '../ui/UserPicker';

export type TargetType = (typeof TARGET_TYPES)[number];

export interface TargetChoice {
  type: TargetType;
  id: string;
  /** Kept for the user picker's "Chosen" line. */
  user?: PickedUser;
}

const TYPE_LABELS: Record<TargetType, string> = { group: 'A group', user: 'A user', role: 'A role (by id)', device: 'A device (by id)' };

export function TargetPicker({
  value,
  onChange,
  error,
}: {
  value: TargetChoice;
  onChange: (target: TargetChoice) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="target-picker">
      <legend>Target</legend>
      <SelectField label="Target type" value={value.type} onChange={(type) => onChange({ type: type as TargetType, id: '' })}>
        {TARGET_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </SelectField>
      {value.type === 'group' && (
        <GroupPicker label="Target group" selectedId={value.id || null} onSelect={(id) => onChange({ type: 'group', id })} error={error} />
      )}
      {value.type === 'user' && (
        <UserPicker
          label="Target user"
          value={value.user ?? null}
          onChange={(user) => onChange({ type: 'user', id: user.id, user })}
          error={error}
        />
      )}
      {(value.type === 'role' || value.type === 'device') && (
        <Field
          label={value.type === 'role' ? 'Role id' : 'Device id'}
          value={value.id}
          onChange={(id) => onChange({ type: value.type, id })}
          error={error}
          autoComplete="off"
          hint={`Paste the ${value.type}'s id.`}
        />
      )}
    </fieldset>
  );
}
