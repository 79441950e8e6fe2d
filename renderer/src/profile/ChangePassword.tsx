import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN } from '../../../shared/contract/fields';
import { invoke } from '../api/client';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';

export function ChangePassword() {
  const form = useApiForm(['currentPassword', 'newPassword']);
  const [values, setValues] = useState({ currentPassword: '', newPassword: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    if (values.newPassword !== values.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void form.submit(
      () => invoke('auth.changePassword', { currentPassword: values.currentPassword, newPassword: values.newPassword }),
      () => {
        setDone(true);
        setValues({ currentPassword: '', newPassword: '', confirm: '' });
      },
    );
  }

  return (
    <section className="panel" aria-labelledby="change-password">
      <h2 id="change-password">Change password</h2>
      <form onSubmit={onSubmit} noValidate className="narrow">
        <Field
          label="Current password"
          type="password"
          value={values.currentPassword}
          onChange={set('currentPassword')}
          error={form.fieldError('currentPassword')}
          autoComplete="current-password"
        />
        <Field
          label="New password"
          type="password"
          value={values.newPassword}
          onChange={set('newPassword')}
          error={form.fieldError('newPassword')}
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
        />
        <Field
          label="Confirm new password"
          type="password"
          value={values.confirm}
          onChange={set('confirm')}
          error={mismatch ? 'The two passwords are not the same' : undefined}
          autoComplete="new-password"
        />
        <FormError message={form.formError} />
        {done && (
          <p className="success" role="status">
            Password changed. Your other sessions were signed out.
          </p>
        )}
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
