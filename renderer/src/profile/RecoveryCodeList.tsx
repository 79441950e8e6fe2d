import { RecoveryCodesPanel } from '../ui/RecoveryCodesPanel';

/** New recovery codes from the profile page, shown once. */
export function RecoveryCodeList({ codes, username, onDone }: { codes: string[]; username: string; onDone: () => void }) {
  return (
    <div className="new-codes">
      <p>
        <strong>Your new recovery codes.</strong> The old ones no longer work. Each of these lets you sign in once if you lose your
        authenticator. They will not be shown again.
      </p>
      <RecoveryCodesPanel
        codes={codes}
        username={username}
        listLabel="New recovery codes"
        doneLabel="Done"
        doneClassName="primary inline"
        onDone={onDone}
      />
    </div>
  );
}
