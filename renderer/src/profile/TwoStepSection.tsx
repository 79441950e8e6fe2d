import { useState } from 'react';
import { useSession } from '../state/session';
import { NewRecoveryCodes } from './NewRecoveryCodes';
import { ReEnroll } from './ReEnroll';
import { RecoveryCodeList } from './RecoveryCodeList';

type Mode = 'idle' | 'reEnroll' | 'codes' | { codes: string[]; message: string };

/** Own two-step verification: always on (seed 000); the authenticator can be replaced and the recovery codes renewed. */
export function TwoStepSection() {
  const username = useSession((s) => s.user?.username ?? '');
  const [mode, setMode] = useState<Mode>('idle');
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="panel" aria-labelledby="two-step">
      <h2 id="two-step">Two-step verification</h2>
      <p>
        <strong className="mfa-enrolled">On.</strong> Required for every account; it cannot be turned off.
      </p>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      {mode === 'idle' && (
        <div className="form-actions start">
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setMode('reEnroll');
            }}
          >
            Set up a new authenticator…
          </button>
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setMode('codes');
            }}
          >
            Make new recovery codes…
          </button>
        </div>
      )}
      {mode === 'reEnroll' && (
        <ReEnroll
          onCancel={() => setMode('idle')}
          onDone={(codes) => setMode({ codes, message: 'Your new authenticator is set up; the old one no longer works.' })}
        />
      )}
      {mode === 'codes' && (
        <NewRecoveryCodes onCancel={() => setMode('idle')} onDone={(codes) => setMode({ codes, message: 'New recovery codes made.' })} />
      )}
      {typeof mode === 'object' && (
        <RecoveryCodeList
          codes={mode.codes}
          username={username}
          onDone={() => {
            setNotice(mode.message);
            setMode('idle');
          }}
        />
      )}
    </section>
  );
}
