import { useState } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Switch } from '../../ui/Switch';
import { FormError } from '../../ui/FormError';

/** Seed 004: switch the login off without deleting the person; off asks first, on does not. */
export function LoginStatusSection({ user, onSaved }: { user: UserDetail; onSaved: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = user.fullName || user.username;
  const active = user.status === 'active';

  function enable() {
    setPending(true);
    setError(null);
    void invoke('users.setStatus', { id: user.id, status: 'active' }).then((result) => {
      setPending(false);
      if (result.ok) onSaved(`${name} can sign in again.`);
      else setError(result.error.message);
    });
  }

  return (
    <section className="panel user-section" aria-labelledby="user-login">
      <h2 id="user-login">Login status</h2>
      <Switch
        label="Login status"
        checked={active}
        onLabel="On: can sign in"
        offLabel="Off: cannot sign in"
        reason={user.can.disable ? null : (user.can.reasons.disable ?? 'You cannot change the login status of this member')}
        busy={pending}
        onChange={(on) => (on ? enable() : setConfirming(true))}
      />
      <FormError message={error} />
      {confirming && (
        <ConfirmDialog
          title={`Disable login for ${name}?`}
          description={
            <p>
              {name} is signed out everywhere at once and cannot sign in until the login is switched on again. The account, its roles and
              devices stay as they are.
            </p>
          }
          confirmLabel="Disable login"
          pendingLabel="Disabling…"
          run={() => invoke('users.setStatus', { id: user.id, status: 'disabled' })}
          onDone={() => {
            setConfirming(false);
            onSaved(`${name} can no longer sign in.`);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}
