import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useMissingPermissionAtRoot } from '../state/missing-permission';
import { invoke } from '../api/client';
import { Dialog, DialogButtons } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormError } from '../ui/FormError';
import { StaleCopyNotice } from '../ui/StaleCopyNotice';
import { useApiForm } from '../ui/use-api-form';

const MIN_DAYS = 30;

/**
 * How long events are kept (the auditRetentionDays setting). Shown only to people who may
 * read the settings; pruning keeps the chain verifiable from the oldest kept event.
 */
export function RetentionSetting() {
  // The settings' version travels with the value: a change is made from the copy shown here.
  const [loaded, setLoaded] = useState<{ days: number | null; version: number } | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const manageLock = useMissingPermissionAtRoot('settings.manage');

  const load = useCallback(() => {
    let live = true;
    void invoke('settings.get', {}).then((result) => {
      if (live && result.ok) setLoaded({ days: result.value.auditRetentionDays, version: result.value.version });
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(load, [load]);

  if (loaded === undefined) return null;
  const { days } = loaded;

  return (
    <div className="audit-retention">
      <p data-testid="audit-retention">
        {days === null ? 'Events are kept forever.' : `Events older than ${days.toLocaleString()} days are pruned.`}{' '}
        <button
          type="button"
          className="link"
          disabled={manageLock !== null}
          title={manageLock ?? undefined}
          onClick={() => {
            setSaved(null);
            setEditing(true);
          }}
        >
          Change retention…
        </button>
      </p>
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      {editing && (
        <RetentionDialog
          key={loaded.version}
          days={days}
          version={loaded.version}
          onClose={() => setEditing(false)}
          onReload={() => void load()}
          onSaved={(next) => {
            setLoaded({ days: next.auditRetentionDays, version: next.version });
            setEditing(false);
            setSaved('Retention saved.');
          }}
        />
      )}
    </div>
  );
}

interface RetentionDialogProps {
  days: number | null;
  /** The settings' version `days` was read at. */
  version: number;
  onClose: () => void;
  onReload: () => void;
  onSaved: (view: { auditRetentionDays: number | null; version: number }) => void;
}

function RetentionDialog({ days, version, onClose, onReload, onSaved }: RetentionDialogProps) {
  const form = useApiForm(['auditRetentionDays', 'baseVersion']);
  const [forever, setForever] = useState(days === null);
  const [text, setText] = useState(String(days ?? 365));
  const [local, setLocal] = useState<string | undefined>(undefined);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    let value: number | null = null;
    if (!forever) {
      const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < MIN_DAYS) {
        setLocal(`Enter a whole number of days, at least ${MIN_DAYS}`);
        return;
      }
      value = n;
    }
    setLocal(undefined);
    void form.submit(
      () => invoke('settings.update', { baseVersion: version, auditRetentionDays: value }),
      (view) => onSaved(view),
    );
  }

  return (
    <Dialog
      title="Audit retention"
      onClose={onClose}
      description={
        <p>
          Older events are deleted for good when pruned. The chain stays verifiable from the oldest event kept. Auditors often ask for a
          year or more.
        </p>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>Keep audit events</legend>
          <label className="check">
            <input type="radio" name="retention" checked={forever} onChange={() => setForever(true)} />
            Forever
          </label>
          <label className="check">
            <input type="radio" name="retention" checked={!forever} onChange={() => setForever(false)} />
            For a number of days
          </label>
        </fieldset>
        {!forever && (
          <Field
            label="Days to keep"
            inputMode="numeric"
            value={text}
            onChange={setText}
            error={local ?? form.fieldError('auditRetentionDays')}
            hint={`At least ${MIN_DAYS}.`}
          />
        )}
        <FormError message={form.formError} />
        <StaleCopyNotice message={form.fieldError('baseVersion')} what="settings" onReload={onReload} />
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? 'Saving…' : 'Save retention'}
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
