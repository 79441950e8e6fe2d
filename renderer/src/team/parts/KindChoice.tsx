import type { UserKind } from '../../../../shared/contract';

/** Member or external (seed 004's delegated users: can be disabled, never deleted, never Owner). */
export function KindChoice({
  value,
  onChange,
  error,
}: {
  value: UserKind;
  onChange: (kind: UserKind) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className={`kind-choice${error ? ' field-invalid' : ''}`}>
      <legend>Kind</legend>
      <label className="check">
        <input type="radio" name="kind" value="member" checked={value === 'member'} onChange={() => onChange('member')} />
        Member of the organization
      </label>
      <label className="check">
        <input type="radio" name="kind" value="external" checked={value === 'external'} onChange={() => onChange('external')} />
        External (delegated) user
      </label>
      {value === 'external' && (
        <p className="field-hint">
          An external user sees your backed-up data as far as their role allows. They can be disabled but not deleted, and can never become
          Owner.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
