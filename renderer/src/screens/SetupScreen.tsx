import { useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { Field } from '../ui/Field';
import { NewPasswordFields } from '../ui/NewPasswordFields';
import { PersonFields } from '../ui/PersonFields';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';

const FIELDS = ['rootGroupName', 'username', 'email', 'fullName', 'password', 'confirm'] as const;

/**
 * First run: the provider root and the Owner account; MFA enrollment follows at once. A hub
 * asks for its one-time setup code first (R35), when auth.status says so.
 */
export function SetupScreen() {
  const enterStage = useSession((s) => s.enterStage);
  const codeRequired = useSession((s) => s.setupCodeRequired);
  // An error about the code goes above the buttons when the form has no field for it.
  const form = useApiForm(codeRequired ? ['setupCode', ...FIELDS] : FIELDS);
  const [values, setValues] = useState({
    setupCode: '',
    rootGroupName: '',
    username: '',
    email: '',
    fullName: '',
    password: '',
    confirm: '',
  });
  const [mismatch, setMismatch] = useState(false);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (values.password !== values.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const { setupCode, rootGroupName, username, email, fullName, password } = values;
    void form.submit(
      () => invoke('auth.setup', { rootGroupName, username, email, fullName, password, ...(codeRequired ? { setupCode } : {}) }),
      (answer) => enterStage(answer.stage, answer.user),
    );
  }

  return (
    <AuthCard
      title="Set up Steward"
      subtitle="Name your organization and create the first account. It becomes the Owner and cannot be removed."
    >
      <form onSubmit={onSubmit} noValidate>
        {codeRequired && (
          <Field
            label="Setup code"
            value={values.setupCode}
            onChange={set('setupCode')}
            error={form.fieldError('setupCode')}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            hint="The hub printed it when it started. It is also in the file setup-code in the hub's data folder."
          />
        )}
        <Field
          label="Organization name"
          value={values.rootGroupName}
          onChange={set('rootGroupName')}
          error={form.fieldError('rootGroupName')}
          autoFocus={!codeRequired}
          hint="The top of your customer tree, e.g. your company."
        />
        <PersonFields values={values} set={set} fieldError={form.fieldError} />
        <NewPasswordFields
          password={values.password}
          confirm={values.confirm}
          onPassword={set('password')}
          onConfirm={set('confirm')}
          error={form.fieldError('password')}
          mismatch={mismatch}
        />
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Creating…' : 'Create organization and account'}
        </button>
      </form>
    </AuthCard>
  );
}
