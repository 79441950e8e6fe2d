import { useEffect, useState } from 'react';
import type { ChainState } from '../../../shared/contract';
import { invoke } from '../api/client';

type Checked = { state: ChainState; error: null } | { state: null; error: string } | { state: null; error: null; forbidden: true };

/**
 * The hash chain's state, first thing on the audit view: either every kept event still
 * matches what was written, or the first one that does not. People who may not verify the
 * chain see nothing about it.
 */
export function ChainStatus() {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [checking, setChecking] = useState(true);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    void invoke('audit.verify', {}).then((result) => {
      if (!live) return;
      setChecking(false);
      if (result.ok) setChecked({ state: result.value, error: null });
      // Checking the chain needs the audit trail at the root; whoever cannot (or cannot even see the root) sees nothing of it.
      else if (result.error.code === 'FORBIDDEN' || result.error.code === 'NOT_FOUND')
        setChecked({ state: null, error: null, forbidden: true });
      else setChecked({ state: null, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [round]);

  function again() {
    setChecking(true);
    setRound((r) => r + 1);
  }

  if (checked && 'forbidden' in checked) return null;

  const state = checked?.state ?? null;
  const tone = !checked ? 'pending' : checked.error !== null ? 'unknown' : state?.intact ? 'intact' : 'broken';

  return (
    <section className={`chain chain-${tone}`} aria-labelledby="chain-title" aria-busy={checking || undefined}>
      <div className="chain-text">
        <h2 id="chain-title" className="sr-only">
          Audit chain
        </h2>
        <p className="chain-headline" data-testid="chain-state" role={tone === 'broken' ? 'alert' : 'status'}>
          {!checked ? (
            'Verifying the audit chain…'
          ) : checked.error !== null ? (
            `The chain could not be verified: ${checked.error}`
          ) : state?.intact ? (
            <>
              <span aria-hidden="true">✔ </span>Chain intact: {state.checked.toLocaleString()} {state.checked === 1 ? 'event' : 'events'}{' '}
              verified
            </>
          ) : state?.broken ? (
            <>
              <span aria-hidden="true">✖ </span>Chain BROKEN at event #{state.broken.seq}: {state.broken.reason}
            </>
          ) : (
            'Chain BROKEN'
          )}
        </p>
        {state && !state.intact && (
          <p className="chain-explain">
            An event was changed or removed outside Steward after it was written. Events before #{state.broken?.seq ?? '?'} still match;
            treat this event and everything after it as unproven, and keep a copy of the database for investigation.
          </p>
        )}
        {state && state.prunedThrough !== null && (
          <p className="chain-explain">
            Events older than the retention setting were pruned, the last of them #{state.prunedThrough.toLocaleString()}; each
            installation’s chain is checked from its oldest event kept.
          </p>
        )}
      </div>
      <button type="button" onClick={again} disabled={checking}>
        {checking ? 'Verifying…' : 'Verify again'}
      </button>
    </section>
  );
}
