import { useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { SignOutLink } from './SignOutLink';
import { CodeField } from '../ui/CodeField';

/** Second factor at sign-in: the authenticator code, or one recovery code when the device is lost. */
export function CodeScreen() {
  const enterStage = useSession((s) => s.enterStage);
  const form = useApiForm(['code', 'recoveryCode']);
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('auth.verifyCode', useRecovery ? { recoveryCode: value } : { code: value }),
      (answer) => enterStage(answer.stage, answer.user),
    );
  }

  function toggle() {
    setUseRecovery((v) => !v);
    setValue('');
    form.clearError();
  }

  return (
    <AuthCard
      title="Two-step verification"
      subtitle={useRecovery ? 'Enter one of your recovery codes. Each works once.' : 'Enter the 6-digit code from your authenticator app.'}
    >
      <form onSubmit={onSubmit} noValidate>
        {useRecovery ? (
          <Field
            key="recovery"
            label="Recovery code"
            value={value}
            onChange={setValue}
            error={form.fieldError('recoveryCode') ?? form.fieldError('code')}
            autoComplete="off"
            autoFocus
            spellCheck={false}
          />
        ) : (
          <CodeField key="code" label="Authentication code" value={value} onChange={setValue} error={form.fieldError('code')} autoFocus />
        )}
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Verifying…' : 'Verify'}
        </button>
      </form>
      <div className="auth-links">
        <button type="button" className="link" onClick={toggle}>
          {useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code'}
        </button>
        <SignOutLink />
      </div>
    </AuthCard>
  );
}
