import { useState, type FormEvent } from 'react';
import type { Enrollment } from '../../../shared/contract';
import { invoke } from '../api/client';
import { AuthenticatorKey } from '../ui/AuthenticatorKey';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { CodeField } from '../ui/CodeField';

interface ReEnrollProps {
  onDone: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}

/**
 * Move to a new authenticator: the old one keeps working until the new one is confirmed
 * with its code and the account password, so an abandoned attempt locks nobody out.
 */
export function ReEnroll({ onDone, onCancel }: ReEnrollProps) {
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const begin = useApiForm([]);
  const confirm = useApiForm(['code', 'currentPassword']);

  function start() {
    void begin.submit(() => invoke('auth.beginEnrollment', {}), setEnrollment);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void confirm.submit(
      () => invoke('auth.confirmEnrollment', { code, currentPassword: password }),
      (done) => onDone(done.recoveryCodes),
    );
  }

  if (!enrollment) {
    return (
      <div className="re-enroll">
        <p>A new key is made for you to scan; your current authenticator keeps working until you confirm the new one.</p>
        <FormError message={begin.formError} />
        <div className="form-actions start">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="primary inline" onClick={start} disabled={begin.pending}>
            {begin.pending ? 'Preparing a key…' : 'Show the new key'}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="re-enroll" onSubmit={onSubmit} noValidate>
      <AuthenticatorKey enrollment={enrollment} alt="QR code for your new authenticator" testId="new-totp-key" />
      <div className="narrow">
        <CodeField label="Code from the new authenticator" value={code} onChange={setCode} error={confirm.fieldError('code')} />
        <Field
          label="Your current password"
          type="password"
          value={password}
          onChange={setPassword}
          error={confirm.fieldError('currentPassword')}
          autoComplete="current-password"
          hint="Replacing the authenticator of an open session needs the password too."
        />
      </div>
      <FormError message={confirm.formError} />
      <div className="form-actions start">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary inline" disabled={confirm.pending}>
          {confirm.pending ? 'Checking…' : 'Switch to the new authenticator'}
        </button>
      </div>
    </form>
  );
}
