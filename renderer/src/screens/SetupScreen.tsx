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

/** First run: the provider root and the Owner account; MFA enrollment follows at once. */
export function SetupScreen() {
  const enterStage = useSession((s) => s.enterStage);
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState({ rootGroupName: '', username: '', email: '', fullName: '', password: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (values.password !== values.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const { rootGroupName, username, email, fullName, password } = values;
    void form.submit(
      () => invoke('auth.setup', { rootGroupName, username, email, fullName, password }),
      (answer) => enterStage(answer.stage, answer.user),
    );
  }

  return (
    <AuthCard
      title="Set up Steward"
      subtitle="Name your organization and create the first account. It becomes the Owner and cannot be removed."
    >
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Organization name"
          value={values.rootGroupName}
          onChange={set('rootGroupName')}
          error={form.fieldError('rootGroupName')}
          autoFocus
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
