import { useEffect } from 'react';
import { invoke, onSessionEnded } from './api/client';
import { AcceptInvitationScreen } from './invite/AcceptInvitationScreen';
import { useInviteToken } from './invite/invite-route';
import { CodeScreen } from './screens/CodeScreen';
import { EnrollScreen } from './screens/EnrollScreen';
import { RecoveryCodesScreen } from './screens/RecoveryCodesScreen';
import { SetupScreen } from './screens/SetupScreen';
import { SignInScreen } from './screens/SignInScreen';
import { Shell } from './shell/Shell';
import { OrConnect } from './sync/OrConnect';
import { endedNotice, useSession } from './state/session';

export function App() {
  const { phase, fromStatus, ended, unreachable } = useSession();
  const inviteToken = useInviteToken();

  useEffect(() => onSessionEnded((error) => ended(endedNotice(error))), [ended]);

  // On start, and again on entering the console: setup creates the root group the shell names.
  const entered = phase === 'active';
  useEffect(() => {
    void invoke('auth.status', {}).then((result) => (result.ok ? fromStatus(result.value) : unreachable()));
  }, [entered, fromStatus, unreachable]);

  // An invitation link is opened by someone without an account yet: it comes before every sign-in phase.
  if (inviteToken !== null) return <AcceptInvitationScreen token={inviteToken} />;

  switch (phase) {
    case 'loading':
      return <p className="loading">Starting Steward…</p>;
    case 'unreachable':
      return (
        <main className="auth-page">
          <div className="form-error" role="alert">
            Steward could not be reached. Check that it is still running, then reload.
          </div>
        </main>
      );
    case 'setup':
      return (
        <OrConnect always>
          <SetupScreen />
        </OrConnect>
      );
    case 'signIn':
      return (
        <OrConnect always={false}>
          <SignInScreen />
        </OrConnect>
      );
    case 'enroll':
      return <EnrollScreen />;
    case 'mfa':
      return <CodeScreen />;
    case 'recoveryCodes':
      return <RecoveryCodesScreen />;
    case 'active':
      return <Shell />;
  }
}
