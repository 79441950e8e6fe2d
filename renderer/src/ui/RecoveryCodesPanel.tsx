import { useState } from 'react';

interface Props {
  codes: string[];
  username: string;
  /** The accessible name of the list, which tests and screen readers find it by. */
  listLabel: string;
  doneLabel: string;
  doneClassName?: string;
  onDone: () => void;
}

/** Recovery codes, shown once: copy, download, and an explicit "saved" before moving on. The server keeps only digests. */
export function RecoveryCodesPanel({ codes, username, listLabel, doneLabel, doneClassName = 'primary', onDone }: Props) {
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
    <>
      <ol className="recovery-codes" aria-label={listLabel}>
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
      <button type="button" className={doneClassName} disabled={!saved} onClick={onDone}>
        {doneLabel}
      </button>
    </>
  );
}
