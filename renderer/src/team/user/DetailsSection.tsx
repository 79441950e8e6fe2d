import { useState, type FormEvent } from 'react';
import type { Input, UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { StaleCopyNotice } from '../../ui/StaleCopyNotice';
import { useApiForm } from '../../ui/use-api-form';

const FIELDS = ['username', 'email', 'fullName', 'company'] as const;

/** Seed 002's Edit page: name, company, email and username. */
export function DetailsSection({
  user,
  onSaved,
  onReload,
}: {
  user: UserDetail;
  onSaved: (message: string) => void;
  onReload: () => void;
}) {
  const form = useApiForm([...FIELDS, 'baseVersion']);
  const initial = { username: user.username, email: user.email, fullName: user.fullName, company: user.company };
  const [values, setValues] = useState(initial);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const locked = user.can.edit ? {} : { disabled: true, title: user.can.reasons.edit ?? 'You cannot edit this member' };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input: Input<'users.update'> = { id: user.id, baseVersion: user.version };
    for (const key of FIELDS) if (values[key].trim() !== initial[key]) input[key] = values[key];
    if (Object.keys(input).length === 2) {
      onSaved('Nothing to save: the details are as they were.');
      return;
    }
    void form.submit(
      () => invoke('users.update', input),
      () => onSaved('Details saved.'),
    );
  }

  return (
    <section className="panel user-section" aria-labelledby="user-details">
      <h2 id="user-details">Details</h2>
      <form onSubmit={onSubmit} noValidate>
        <div className="form-grid">
          <Field
            label="Username"
            value={values.username}
            onChange={set('username')}
            error={form.fieldError('username')}
            autoComplete="off"
            {...locked}
          />
          <Field
            label="Email"
            type="email"
            value={values.email}
            onChange={set('email')}
            error={form.fieldError('email')}
            autoComplete="off"
            {...locked}
          />
          <Field
            label="Full name"
            value={values.fullName}
            onChange={set('fullName')}
            error={form.fieldError('fullName')}
            autoComplete="off"
            {...locked}
          />
          <Field
            label="Company"
            value={values.company}
            onChange={set('company')}
            error={form.fieldError('company')}
            autoComplete="off"
            {...locked}
          />
        </div>
        <FormError message={form.formError} />
        <StaleCopyNotice message={form.fieldError('baseVersion')} what="member" onReload={onReload} />
        {user.can.edit ? (
          <div className="form-actions">
            <button type="submit" className="primary inline" disabled={form.pending}>
              {form.pending ? 'Saving…' : 'Save details'}
            </button>
          </div>
        ) : (
          <p className="muted">{user.can.reasons.edit ?? 'You can see these details but not change them.'}</p>
        )}
      </form>
    </section>
  );
}
