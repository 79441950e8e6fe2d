import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Enrollment } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { AuthenticatorKey } from '../ui/AuthenticatorKey';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { SignOutLink } from './SignOutLink';
import { CodeField } from '../ui/CodeField';

/** MFA is mandatory (seed 000): no session is granted until an authenticator is set up. */
export function EnrollScreen() {
  const showRecoveryCodes = useSession((s) => s.showRecoveryCodes);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const form = useApiForm(['code']);
  const started = useRef(false);

  const begin = () => {
    setLoadError(null);
    void invoke('auth.beginEnrollment', {}).then((result) => {
      if (result.ok) setEnrollment(result.value);
      else setLoadError(result.error.message);
    });
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    begin();
  }, []);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('auth.confirmEnrollment', { code }),
      (done) => showRecoveryCodes(done.recoveryCodes, done.user),
    );
  }

  return (
    <AuthCard title="Set up two-step verification" subtitle="Every Steward account needs an authenticator app. This cannot be turned off.">
      <ol className="steps">
        <li>Open an authenticator app (for example Aegis, Google Authenticator, 1Password or Microsoft Authenticator).</li>
        <li>Scan this QR code, or type the key by hand.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      {loadError && (
        <div className="form-error" role="alert">
          {loadError}{' '}
          <button type="button" className="link" onClick={begin}>
            Try again
          </button>
        </div>
      )}
      {enrollment ? (
        <AuthenticatorKey enrollment={enrollment} alt="QR code for your authenticator app" testId="totp-key" />
      ) : (
        !loadError && <p className="muted">Preparing a key…</p>
      )}
      <form onSubmit={onSubmit} noValidate>
        <CodeField label="Code from the app" value={code} onChange={setCode} error={form.fieldError('code')} disabled={!enrollment} />
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending || !enrollment}>
          {form.pending ? 'Checking…' : 'Turn on two-step verification'}
        </button>
      </form>
      <div className="auth-links">
        <SignOutLink />
      </div>
    </AuthCard>
  );
}
