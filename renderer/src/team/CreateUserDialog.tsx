import { useEffect, useState, type FormEvent } from 'react';
import type { UserKind } from '../../../shared/contract';
import { invoke } from '../api/client';
import { GroupPicker } from '../ui/GroupPicker';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { PersonFields } from '../ui/PersonFields';
import { useApiForm } from '../ui/use-api-form';
import { useMe } from '../state/me-store';
import { KindChoice } from './parts/KindChoice';
import { RoleScopeFields } from './parts/RoleScopeFields';
import { ShownOnce } from './parts/ShownOnce';

const FIELDS = ['username', 'email', 'fullName', 'company', 'homeGroupId', 'kind', 'bindings', 'bindings.0.roleId', 'bindings.0.groupId'];

interface Created {
  id: string;
  username: string;
  password: string;
}

/** Seed 002's Create user: a random password is generated and displayed once, to share securely. */
export function CreateUserDialog({
  defaultGroupId = null,
  onClose,
  onCreated,
}: {
  /** The group the dialog was opened from (issue 15, finding 3): the new account's home and role scope until the person picks. */
  defaultGroupId?: string | null;
  onClose: () => void;
  onCreated: (id: string, username: string) => void;
}) {
  const me = useMe((s) => s.me);
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState({ username: '', email: '', fullName: '', company: '' });
  const [kind, setKind] = useState<UserKind>('member');
  const [homeGroupId, setHomeGroupId] = useState<string | null>(null);
  const [roleId, setRoleId] = useState('');
  const [scopeId, setScopeId] = useState<string | null>(null);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    if (!useMe.getState().me) void useMe.getState().load();
  }, []);

  // Until the person picks, new people land where the dialog was opened from, else where their creator is homed.
  const home = homeGroupId ?? defaultGroupId ?? me?.homeGroupId ?? null;
  const scope = scopeId ?? home;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!home) problems.homeGroupId = 'Choose the home group';
    if (!roleId) problems.role = 'Choose a role';
    if (!scope) problems.scope = 'Choose the group the role applies to';
    setMissing(problems);
    if (!home || !roleId || !scope) return;
    const input = {
      username: values.username,
      email: values.email,
      ...(values.fullName.trim() ? { fullName: values.fullName } : {}),
      ...(values.company.trim() ? { company: values.company } : {}),
      homeGroupId: home,
      kind,
      bindings: [{ roleId, groupId: scope }],
    };
    void form.submit(
      () => invoke('users.create', input),
      (value) => setCreated({ id: value.id, username: values.username.trim(), password: value.password }),
    );
  }

  if (created) {
    return (
      <Dialog key="created" title={`Account created for ${created.username}`} onClose={() => onCreated(created.id, created.username)}>
        <ShownOnce
          label="Password"
          value={created.password}
          advice={`Give it to ${created.username} over a channel you trust. They set up two-step verification at their first sign-in.`}
          testId="shown-password"
        />
        <DialogButtons>
          <button type="button" className="primary" onClick={() => onCreated(created.id, created.username)}>
            Done
          </button>
        </DialogButtons>
      </Dialog>
    );
  }

  return (
    <Dialog
      key="form"
      title="Create user"
      wide
      onClose={onClose}
      description="Steward generates a random password and shows it once, for you to hand over. To let people choose their own, invite them instead."
    >
      <form onSubmit={onSubmit} noValidate>
        <div className="form-grid">
          <PersonFields values={values} set={set} fieldError={form.fieldError} forSomeoneElse />
          <Field
            label="Company (optional)"
            value={values.company}
            onChange={set('company')}
            error={form.fieldError('company')}
            autoComplete="off"
          />
        </div>
        <KindChoice value={kind} onChange={setKind} error={form.fieldError('kind')} />
        <div className="two-columns">
          <div>
            <GroupPicker
              label="Home group"
              selectedId={home}
              onSelect={setHomeGroupId}
              error={missing.homeGroupId ?? form.fieldError('homeGroupId')}
            />
            <p className="field-hint">Where the account lives, and whose seats it uses.</p>
          </div>
          <RoleScopeFields
            roleId={roleId}
            groupId={scope}
            onRole={setRoleId}
            onGroup={setScopeId}
            roleError={missing.role ?? form.fieldError('bindings.0.roleId')}
            groupError={missing.scope ?? form.fieldError('bindings.0.groupId')}
            groupLabel="Role applies to"
          />
        </div>
        <FormError message={form.formError ?? form.fieldError('bindings') ?? null} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Creating…' : 'Create user'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
