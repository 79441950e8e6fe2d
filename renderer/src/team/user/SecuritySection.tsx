import { useState } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { MFA_LABELS } from '../../ui/format';
import { ActionButton } from '../../ui/ActionButton';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ShownOnce } from '../parts/ShownOnce';

type Step = 'confirmPassword' | 'confirmMfa' | { password: string } | null;

/** Reset password (a new random one, shown once) and reset two-step verification (forces re-enrollment). */
export function SecuritySection({ user, onSaved }: { user: UserDetail; onSaved: (message: string) => void }) {
  const [step, setStep] = useState<Step>(null);
  const name = user.fullName || user.username;

  return (
    <section className="panel user-section" aria-labelledby="user-security">
      <h2 id="user-security">Password and two-step verification</h2>
      <dl className="facts">
        <dt>Two-step verification</dt>
        <dd>
          <span className={`mfa mfa-${user.mfa}`}>{MFA_LABELS[user.mfa]}</span>
        </dd>
      </dl>
      <div className="form-actions start">
        <ActionButton
          reason={user.can.resetPassword ? null : (user.can.reasons.resetPassword ?? 'Not allowed')}
          onClick={() => setStep('confirmPassword')}
        >
          Reset password…
        </ActionButton>
        <ActionButton
          reason={user.can.resetMfa ? null : (user.can.reasons.resetMfa ?? 'Not allowed')}
          onClick={() => setStep('confirmMfa')}
        >
          Reset two-step verification…
        </ActionButton>
      </div>
      {step === 'confirmPassword' && (
        <ConfirmDialog
          title={`Reset the password of ${name}?`}
          description={<p>A new random password replaces the current one at once. You will see the new password once, to hand over.</p>}
          confirmLabel="Reset password"
          pendingLabel="Resetting…"
          run={() => invoke('users.resetPassword', { id: user.id })}
          onDone={(value) => setStep({ password: value.password })}
          onClose={() => setStep(null)}
        />
      )}
      {typeof step === 'object' && step !== null && (
        <Dialog title={`New password for ${name}`} onClose={() => setStep(null)}>
          <ShownOnce
            label="Password"
            value={step.password}
            advice={`Give it to ${name} over a channel you trust; they can change it from their profile.`}
            testId="shown-password"
          />
          <DialogButtons>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setStep(null);
                onSaved(`The password of ${name} was reset.`);
              }}
            >
              Done
            </button>
          </DialogButtons>
        </Dialog>
      )}
      {step === 'confirmMfa' && (
        <ConfirmDialog
          title={`Reset two-step verification for ${name}?`}
          description={
            <p>
              Their authenticator and recovery codes stop working at once. At the next sign-in, {name} must set up an authenticator again
              before getting in.
            </p>
          }
          confirmLabel="Reset two-step verification"
          pendingLabel="Resetting…"
          run={() => invoke('users.resetMfa', { id: user.id })}
          onDone={() => {
            setStep(null);
            onSaved(`Two-step verification of ${name} was reset; they will set it up again at the next sign-in.`);
          }}
          onClose={() => setStep(null)}
        />
      )}
    </section>
  );
}
