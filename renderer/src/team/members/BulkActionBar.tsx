import { useState } from 'react';
import { useMissingPermission } from '../../state/missing-permission';
import type { UserStatus } from '../../../../shared/contract';
import { Dialog, DialogButtons } from '../../ui/Dialog';
import { plural } from '../../ui/format';
import { setStatusOfMany, type BulkOutcome } from './bulk-status';

interface BulkActionBarProps {
  selected: ReadonlyArray<{ id: string; name: string }>;
  onClear: () => void;
  /** After a bulk change: drop the members that changed from the selection, reload the page. */
  onDone: (changedIds: string[]) => void;
}

type Step =
  | { kind: 'confirm'; status: UserStatus }
  | { kind: 'running'; status: UserStatus }
  | { kind: 'done'; outcome: BulkOutcome; status: UserStatus };

/** What can be done to every selected member at once; disabling asks first and reports each refusal by name. */
export function BulkActionBar({ selected, onClear, onDone }: BulkActionBarProps) {
  const [step, setStep] = useState<Step | null>(null);
  const count = plural(selected.length, 'member', 'members');
  // Per member the server decides and names each refusal; without users.edit anywhere there is nothing to try.
  const editLock = useMissingPermission('users.edit');

  async function run(status: UserStatus) {
    setStep({ kind: 'running', status });
    const outcome = await setStatusOfMany(selected, status);
    setStep({ kind: 'done', outcome, status });
    onDone(outcome.changed);
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Selected members">
      <strong>{count} selected</strong>
      <button
        type="button"
        className="danger-outline"
        disabled={editLock !== null}
        title={editLock ?? undefined}
        onClick={() => setStep({ kind: 'confirm', status: 'disabled' })}
      >
        Disable login…
      </button>
      <button type="button" disabled={editLock !== null} title={editLock ?? undefined} onClick={() => void run('active')}>
        Enable login
      </button>
      <button type="button" className="link" onClick={onClear}>
        Clear selection
      </button>
      {step && (
        <Dialog
          title={step.status === 'disabled' ? `Disable login for ${count}?` : `Enable login for ${count}`}
          onClose={() => step.kind !== 'running' && setStep(null)}
          step={step.kind}
          description={
            step.kind === 'confirm' ? (
              <p>
                They are signed out at once and cannot sign in until their login is switched on again. Their accounts, roles and devices
                stay as they are.
              </p>
            ) : undefined
          }
        >
          {step.kind === 'confirm' && (
            <>
              <ul className="bulk-names">
                {selected.slice(0, 10).map((s) => (
                  <li key={s.id}>{s.name}</li>
                ))}
                {selected.length > 10 && <li>and {plural(selected.length - 10, 'other', 'others')}</li>}
              </ul>
              <DialogButtons>
                <button type="button" onClick={() => setStep(null)} data-autofocus="">
                  Cancel
                </button>
                <button type="button" className="danger-button" onClick={() => void run('disabled')}>
                  Disable login
                </button>
              </DialogButtons>
            </>
          )}
          {step.kind === 'running' && <p role="status">Working through {count}…</p>}
          {step.kind === 'done' && (
            <>
              <p role="status">
                {step.outcome.changed.length === 0
                  ? 'Nothing was changed.'
                  : `${plural(step.outcome.changed.length, 'member', 'members')} ${step.status === 'disabled' ? 'disabled' : 'enabled'}.`}
              </p>
              {step.outcome.refused.length > 0 && (
                <div className="form-error" role="alert">
                  <p>Refused:</p>
                  <ul>
                    {step.outcome.refused.map((r) => (
                      <li key={r.name}>
                        <strong>{r.name}</strong>: {r.reason}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <DialogButtons>
                <button type="button" className="primary" onClick={() => setStep(null)}>
                  Close
                </button>
              </DialogButtons>
            </>
          )}
        </Dialog>
      )}
    </div>
  );
}
