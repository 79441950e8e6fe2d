import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';
import { RecoveryCodesPanel } from '../ui/RecoveryCodesPanel';

/** Shown once after enrollment: after this screen the codes exist only as digests on the server. */
export function RecoveryCodesScreen() {
  const { recoveryCodes, recoveryCodesSaved, user } = useSession();
  return (
    <AuthCard
      title="Save your recovery codes"
      subtitle="If you lose your authenticator, each of these codes lets you sign in once. They will not be shown again."
    >
      <RecoveryCodesPanel
        codes={recoveryCodes ?? []}
        username={user?.username ?? 'your account'}
        listLabel="Recovery codes"
        doneLabel="Continue to Steward"
        onDone={recoveryCodesSaved}
      />
    </AuthCard>
  );
}
