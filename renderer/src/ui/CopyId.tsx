import { useState } from 'react';

/**
 * An object's id as text anyone can select, with a button that copies it (issue 15: Access
 * and support ask for ids; no screen may make people hunt for one). `label` names the object
 * for screen readers: "Copy the device's id".
 */
export function CopyId({ id, label }: { id: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(id);
      setState('copied');
    } catch {
      // Some windows refuse the clipboard; the id stays selectable.
      setState('failed');
    }
  }
  return (
    <span className="copy-id">
      <span className="copy-id-label">Id</span> <code data-testid="object-id">{id}</code>{' '}
      <button type="button" className="link" aria-label={`Copy ${label}`} onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className="copy-id-status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select the id and copy it' : ''}
      </span>
    </span>
  );
}
