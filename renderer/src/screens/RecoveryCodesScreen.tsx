import { useState } from 'react';
import { useSession } from '../state/session';
import { AuthCard } from '../ui/AuthCard';

/** Shown once: after this screen the codes exist only as digests on the server. */
export function RecoveryCodesScreen() {
  const { recoveryCodes, recoveryCodesSaved, user } = useSession();
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const codes = recoveryCodes ?? [];
  const text = `Steward recovery codes for ${user?.username ?? 'your account'}\nEach code works once.\n\n${codes.join('\n')}\n`;

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'steward-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <AuthCard
      title="Save your recovery codes"
      subtitle="If you lose your authenticator, each of these codes lets you sign in once. They will not be shown again."
    >
      <ol className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy all'}
        </button>
        <button type="button" onClick={download}>
          Download as text
        </button>
      </div>
      <label className="check">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have saved these codes somewhere safe
      </label>
      <button type="button" className="primary" disabled={!saved} onClick={recoveryCodesSaved}>
        Continue to Steward
      </button>
    </AuthCard>
  );
}
