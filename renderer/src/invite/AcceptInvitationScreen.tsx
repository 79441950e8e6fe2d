import { useEffect, useState, type FormEvent } from 'react';
import type { InvitationPreview } from '../../../shared/contract';
import { PASSWORD_MIN } from '../../../shared/contract/fields';
import { invoke } from '../api/client';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { NewPasswordFields } from '../ui/NewPasswordFields';
import { PersonFields } from '../ui/PersonFields';
import { FormError } from '../ui/FormError';
import { useApiForm } from '../ui/use-api-form';
import { leaveInviteRoute } from './invite-route';
import './invite.css';

interface Loaded {
  token: string;
  preview: InvitationPreview | null;
  error: string | null;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The invitee is not signed in: the link's token shows what they are invited to, then
 * they choose a username and password; enrollment (mandatory two-step) follows.
 */
export function AcceptInvitationScreen({ token }: { token: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let live = true;
    void invoke('invitations.preview', { token }).then((result) => {
      if (!live) return;
      setLoaded(result.ok ? { token, preview: result.value, error: null } : { token, preview: null, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [token]);

  const current = loaded?.token === token ? loaded : null;
  if (!current) {
    return (
      <AuthCard title="Invitation">
        <p className="loading">Checking your invitation…</p>
      </AuthCard>
    );
  }
  if (!current.preview) {
    // An expired, revoked or used link: the server's reason, and nothing that looks like a way in.
    return (
      <AuthCard title="This invitation cannot be used">
        <div className="form-error" role="alert">
          {current.error}
        </div>
      </AuthCard>
    );
  }
  return <AcceptForm token={token} preview={current.preview} />;
}

function AcceptForm({ token, preview }: { token: string; preview: InvitationPreview }) {
  const enterStage = useSession((s) => s.enterStage);
  const form = useApiForm(['username', 'fullName', 'password']);
  const [values, setValues] = useState({
    username: (preview.email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, ''),
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
    void form.submit(
      () => invoke('invitations.accept', { token, username: values.username, fullName: values.fullName, password: values.password }),
      (answer) => {
        enterStage(answer.stage, answer.user);
        leaveInviteRoute();
      },
    );
  }

  return (
    <AuthCard
      title={`Join ${preview.companyName}`}
      subtitle={
        <>
          <p>
            <strong>{preview.invitedBy}</strong> invited <strong>{preview.email}</strong> to {preview.companyName} as{' '}
            <strong>{preview.roleName}</strong>
            {preview.kind === 'external' ? ', as an external (delegated) user' : ''}.
          </p>
          <p className="muted">This invitation expires {dateTime.format(new Date(preview.expiresAt))} and works once.</p>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <PersonFields values={values} set={set} fieldError={form.fieldError} />
        <NewPasswordFields
          password={values.password}
          confirm={values.confirm}
          onPassword={set('password')}
          onConfirm={set('confirm')}
          error={form.fieldError('password')}
          mismatch={mismatch}
          hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a good one.`}
        />
        <p className="muted">Next you set up two-step verification with an authenticator app; every account needs it.</p>
        <FormError message={form.formError} />
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Creating your account…' : 'Accept and create account'}
        </button>
      </form>
    </AuthCard>
  );
}
