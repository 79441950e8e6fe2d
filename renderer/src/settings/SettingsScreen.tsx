import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/contract';
import { useMissingPermissionAtRoot } from '../state/missing-permission';
import { invoke } from '../api/client';
import { FormError } from '../ui/FormError';
import { StaleCopyNotice } from '../ui/StaleCopyNotice';
import { Field } from '../ui/Field';
import { useApiForm } from '../ui/use-api-form';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { toForm, toInput, type SettingsForm } from './settings-form';
import { SmtpFields } from './SmtpFields';
import './settings.css';

const FIELDS = [
  'baseVersion',
  'idleTimeoutMinutes',
  'invitationExpiryHours',
  'historyRetentionDays',
  'publicAddress',
  'smtp',
  'smtp.host',
  'smtp.port',
  'smtp.secure',
  'smtp.allowWithoutTls',
  'smtp.username',
  'smtp.password',
  'smtp.from',
];

interface Loaded {
  view: SettingsView | null;
  error: string | null;
  /** Counts answers of settings.get: a reload starts the form again from the new answer, a save does not. */
  fetched: number;
}

/** Installation settings: session lock, invitation expiry and the mail server invitations go out through. */
export function SettingsScreen() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    void invoke('settings.get', {}).then((result) => {
      if (!live) return;
      setLoaded((prev) => {
        const fetched = (prev?.fetched ?? 0) + 1;
        return result.ok ? { view: result.value, error: null, fetched } : { view: null, error: result.error.message, fetched };
      });
    });
    return () => {
      live = false;
    };
  }, [revision]);

  return (
    <div className="page settings">
      <h1>Settings</h1>
      {!loaded ? (
        <p className="loading">Loading settings…</p>
      ) : loaded.view ? (
        <SettingsEditor
          key={`fetch-${loaded.fetched}`}
          view={loaded.view}
          onSaved={(view) => setLoaded({ view, error: null, fetched: loaded.fetched })}
          onReload={() => setRevision((r) => r + 1)}
        />
      ) : (
        <div className="panel">
          <FormError message={loaded.error} />
          <p className="muted">Settings are changed by someone whose role includes account settings. Ask your administrator.</p>
        </div>
      )}
    </div>
  );
}

function SettingsEditor({ view, onSaved, onReload }: { view: SettingsView; onSaved: (view: SettingsView) => void; onReload: () => void }) {
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState<SettingsForm>(() => toForm(view));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const manageLock = useMissingPermissionAtRoot('settings.manage');
  const change = (patch: Partial<SettingsForm>) => {
    setSaved(null);
    setValues((v) => ({ ...v, ...patch }));
  };
  const error = (field: string) => local[field] ?? form.fieldError(field);

  function applied(next: SettingsView, message: string) {
    setValues(toForm(next));
    setSaved(message);
    onSaved(next);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = toInput(values, view);
    setLocal(parsed.errors ?? {});
    if (!parsed.input) return;
    if (Object.keys(parsed.input).length === 0) {
      setSaved('Nothing to save: the settings are as they were.');
      return;
    }
    const input = { ...parsed.input, baseVersion: view.version };
    void form.submit(
      () => invoke('settings.update', input),
      (next) => applied(next, 'Settings saved.'),
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <section className="panel" aria-labelledby="settings-sessions">
        <h2 id="settings-sessions">Sessions and invitations</h2>
        <div className="form-grid">
          <Field
            label="Lock after idle minutes"
            inputMode="numeric"
            value={values.idleTimeoutMinutes}
            onChange={(v) => change({ idleTimeoutMinutes: v })}
            error={error('idleTimeoutMinutes')}
            hint="A session without activity for this long locks; 1 to 1440."
          />
          <Field
            label="Invitation expiry hours"
            inputMode="numeric"
            value={values.invitationExpiryHours}
            onChange={(v) => change({ invitationExpiryHours: v })}
            error={error('invitationExpiryHours')}
            hint="How long an invitation link works; 24 by default."
          />
          <Field
            label="Keep status history days"
            inputMode="numeric"
            value={values.historyRetentionDays}
            onChange={(v) => change({ historyRetentionDays: v })}
            error={error('historyRetentionDays')}
            hint="Devices' status changes and daily snapshots older than this are removed; at least 90, 365 by default. Empty keeps them."
          />
          <Field
            label="Public address"
            inputMode="url"
            placeholder="https://steward.example.com"
            value={values.publicAddress}
            onChange={(v) => change({ publicAddress: v })}
            error={error('publicAddress')}
            hint="The address people reach Steward at; invitation links point there. Empty: this console's own address."
          />
        </div>
      </section>
      <SmtpFields view={view} values={values} change={change} error={error} onRemove={() => setRemoving(true)} />
      <FormError message={form.formError} />
      <StaleCopyNotice message={form.fieldError('baseVersion')} what="settings" onReload={onReload} />
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      <div className="form-actions start">
        <button type="submit" className="primary inline" disabled={form.pending || manageLock !== null} title={manageLock ?? undefined}>
          {form.pending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
      {removing && (
        <ConfirmDialog
          title="Remove the mail server?"
          description={
            <p>
              Steward stops sending email. New invitations then give you the link to copy and hand over yourself. The stored password is
              deleted.
            </p>
          }
          confirmLabel="Remove mail server"
          pendingLabel="Removing…"
          run={() => invoke('settings.update', { baseVersion: view.version, smtp: null })}
          onDone={(next) => {
            setRemoving(false);
            applied(next, 'Mail server removed: invitations now give you a link to hand over.');
          }}
          onClose={() => setRemoving(false)}
        />
      )}
    </form>
  );
}
