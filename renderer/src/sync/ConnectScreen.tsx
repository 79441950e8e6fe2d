import { useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';

const FIELDS = ['url', 'fingerprint', 'username', 'password', 'code'] as const;

/**
 * "Connect to a hub": this data folder becomes a replica of the hub at `url`. The person
 * compares the certificate fingerprint with the one the hub's administrator gave them,
 * then signs in with their hub account; what they may see is pulled and they are signed in here.
 */
export function ConnectScreen({ suggestedUrl, onBack }: { suggestedUrl: string | null; onBack: () => void }) {
  const fromStatus = useSession((s) => s.fromStatus);
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState({ url: suggestedUrl ?? '', fingerprint: '', username: '', password: '', code: '' });
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('sync.connect', values),
      () =>
        void invoke('auth.status', {}).then((status) => {
          if (status.ok) fromStatus(status.value);
        }),
    );
  }

  return (
    <AuthCard title="Connect to a hub" subtitle="Work with your organization's hub, online and offline. What you may see is copied here.">
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Hub address"
          value={values.url}
          onChange={set('url')}
          error={form.fieldError('url')}
          autoFocus
          hint="For example https://hub.example.lan:4790/"
        />
        <Field
          label="Certificate fingerprint (SHA-256)"
          value={values.fingerprint}
          onChange={set('fingerprint')}
          error={form.fieldError('fingerprint')}
          hint="The hub prints it when it starts; compare it with the one your administrator gave you."
        />
        <Field
          label="Username or email"
          value={values.username}
          onChange={set('username')}
          error={form.fieldError('username')}
          autoComplete="username"
        />
        <Field
          label="Password"
          type="password"
          value={values.password}
          onChange={set('password')}
          error={form.fieldError('password')}
          autoComplete="current-password"
        />
        <Field
          label="Authenticator code"
          value={values.code}
          onChange={set('code')}
          error={form.fieldError('code')}
          inputMode="numeric"
          autoComplete="one-time-code"
        />
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Connecting and copying…' : 'Connect'}
        </button>
        <button type="button" className="link" onClick={onBack}>
          Back
        </button>
      </form>
    </AuthCard>
  );
}
