import { useState, type ReactNode } from 'react';
import { ConnectScreen } from './ConnectScreen';
import { useSyncStatus } from './use-sync-status';

/**
 * The first-run and sign-in screens, with the way to connect to a hub instead: always on a
 * new installation (it can become a replica), and on a replica (signing in needs the hub once
 * the offline window has passed or the hub ended the connection).
 */
export function OrConnect({ children, always }: { children: ReactNode; always: boolean }) {
  const { status } = useSyncStatus();
  const [connecting, setConnecting] = useState(false);
  const replica = status !== null && status.state !== 'not-connected';
  if (connecting) return <ConnectScreen suggestedUrl={status?.hub ?? null} onBack={() => setConnecting(false)} />;
  return (
    <>
      {children}
      {(always || replica) && (
        <p className="connect-hub">
          <button type="button" className="link" onClick={() => setConnecting(true)}>
            {replica ? 'Sign in at the hub again' : 'Connect to a hub instead'}
          </button>
        </p>
      )}
    </>
  );
}
