import { useState } from 'react';

/** New recovery codes, shown once: the server keeps only their digests. */
export function RecoveryCodeList({ codes, username, onDone }: { codes: string[]; username: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const [saved, setSaved] = useState(false);
  const text = `Steward recovery codes for ${username}\nEach code works once.\n\n${codes.join('\n')}\n`;

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'steward-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="new-codes">
      <p>
        <strong>Your new recovery codes.</strong> The old ones no longer work. Each of these lets you sign in once if you lose your
        authenticator. They will not be shown again.
      </p>
      <ol className="recovery-codes" aria-label="New recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
          {copied ? 'Copied' : 'Copy all'}
        </button>
        <button type="button" onClick={download}>
          Download as text
        </button>
      </div>
      <label className="check">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} /> I have saved these codes somewhere safe
      </label>
      <button type="button" className="primary inline" disabled={!saved} onClick={onDone}>
        Done
      </button>
    </div>
  );
}
