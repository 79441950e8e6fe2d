import { useState } from 'react';

interface ShownOnceProps {
  label: string;
  value: string;
  /** What the person should do with it, e.g. "Give it to Ada over a channel you trust." */
  advice: string;
  testId?: string;
}

/**
 * A secret (a generated password, an invitation link) that exists on screen only now:
 * the server keeps no readable copy, so closing this is the last chance to copy it.
 */
export function ShownOnce({ label, value, advice, testId }: ShownOnceProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  function copy() {
    if (!navigator.clipboard) {
      setCopied('failed');
      return;
    }
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  }

  return (
    <div className="shown-once">
      <p className="label">{label}</p>
      <div className="shown-once-value">
        <code data-testid={testId}>{value}</code>
        <button type="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="shown-once-warning" role="note">
        <strong>It will not be shown again.</strong> {advice}
      </p>
      <p className="muted" aria-live="polite">
        {copied === 'failed' ? 'Copying is not allowed here: select the text and copy it by hand.' : ''}
      </p>
    </div>
  );
}
