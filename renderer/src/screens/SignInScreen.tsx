import { useState, type FormEvent } from 'react';
import { invoke } from '../api/client';
import { SsoButtons } from './SsoButtons';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';

export function SignInScreen() {
  const { enterStage, notice, lastLogin, rootGroupName } = useSession();
  const form = useApiForm(['login', 'password']);
  const [login, setLogin] = useState(lastLogin);
  const [password, setPassword] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(
      () => invoke('auth.signIn', { login, password }),
      (answer) => enterStage(answer.stage, answer.user),
    );
    setPassword('');
  }

  return (
    <AuthCard title="Sign in" subtitle={rootGroupName ?? undefined}>
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      <SsoButtons login={login} onSignedIn={(answer) => enterStage(answer.stage, answer.user)} />
      <form onSubmit={onSubmit} noValidate>
        <Field
          label="Username or email"
          value={login}
          onChange={setLogin}
          error={form.fieldError('login')}
          autoComplete="username"
          autoFocus={!lastLogin}
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          error={form.fieldError('password')}
          autoComplete="current-password"
          autoFocus={Boolean(lastLogin)}
        />
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Checking…' : 'Continue'}
        </button>
      </form>
    </AuthCard>
  );
}
