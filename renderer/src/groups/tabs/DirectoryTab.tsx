import { useEffect, useState, type FormEvent } from 'react';
import type { DirectoryReport, DirectorySettings, DirectoryView, Input } from '../../../../shared/contract';
import type { ApiError } from '../../../../shared/result';
import { invoke } from '../../api/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Switch } from '../../ui/Switch';
import { Field } from '../../ui/Field';
import { FormError } from '../../ui/FormError';
import { useApiForm } from '../../ui/use-api-form';
import type { TabProps } from './tab-props';
import '../../ui/sso.css';

const FIELDS = ['url', 'bindDn', 'password', 'baseDn', 'filter', 'departmentAttribute', 'emailAttribute', 'baseVersion'];

const EMPTY: DirectorySettings = {
  url: 'ldaps://',
  bindDn: '',
  baseDn: '',
  filter: '(objectClass=user)',
  departmentAttribute: 'department',
  emailAttribute: 'mail',
};

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleString());

/**
 * Issue 14: the company's departments from its directory. Off by default; turning it on asks
 * first (departments will be synced and assigned automatically). Sync now, the status, the
 * last run's report and the synced departments with their marker. The bind password is write-only.
 */
export function DirectoryTab({ detail }: TabProps) {
  const [view, setView] = useState<DirectoryView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [settings, setSettings] = useState<DirectorySettings>(EMPTY);
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<string | null>(null);
  const form = useApiForm(FIELDS);

  useEffect(() => {
    let live = true;
    void invoke('directory.get', { companyId: detail.id }).then((result) => {
      if (!live) return;
      if (!result.ok) return setLoadError(result.error);
      setView(result.value);
      setSettings(result.value.settings ?? EMPTY);
    });
    return () => {
      live = false;
    };
  }, [detail.id]);

  if (loadError) return <FormError message={loadError.message} />;
  if (!view) return <p className="loading">Loading the directory sync…</p>;
  const current = view;
  const change = (patch: Partial<DirectorySettings>) => setSettings({ ...settings, ...patch });
  const input = (enabled: boolean): Input<'directory.configure'> => ({
    companyId: detail.id,
    baseVersion: current.version,
    ...settings,
    ...(password ? { password } : {}),
    enabled,
  });
  const saved = (next: DirectoryView) => {
    setView(next);
    setPassword('');
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(() => invoke('directory.configure', input(current.enabled)), saved);
  }

  async function syncNow() {
    setSyncing(true);
    setSyncError(null);
    const result = await invoke('directory.syncNow', { companyId: detail.id });
    setSyncing(false);
    if (!result.ok) return setSyncError(result.error.message);
    const fresh = await invoke('directory.get', { companyId: detail.id });
    if (fresh.ok) setView(fresh.value);
  }

  const status = syncing || current.syncing ? 'Syncing…' : current.enabled ? `Last synced ${when(current.lastRunAt)}` : 'Off';
  return (
    <div className="directory-tab">
      <form className="panel" onSubmit={onSubmit} noValidate aria-labelledby="directory-title">
        <h2 id="directory-title">Departments from the directory</h2>
        <p className="muted">
          Steward reads {detail.name}’s directory over LDAP (Active Directory, OpenLDAP, Entra Domain Services or Google Secure LDAP) once a
          week and keeps its departments and who is in them.
        </p>
        <Switch
          label="Sync departments from the directory"
          checked={current.enabled}
          onLabel="On: departments and memberships follow the directory"
          offLabel="Off: departments are managed by hand"
          onChange={(on) => {
            if (on) setConfirming(true);
            else void form.submit(() => invoke('directory.configure', input(false)), saved);
          }}
        />
        <div className="form-grid">
          <Field
            label="Directory address"
            value={settings.url}
            onChange={(v) => change({ url: v })}
            error={form.fieldError('url')}
            autoComplete="off"
          />
          <Field
            label="Bind DN"
            value={settings.bindDn}
            onChange={(v) => change({ bindDn: v })}
            error={form.fieldError('bindDn')}
            autoComplete="off"
          />
          <Field
            label="Bind password"
            type="password"
            value={password}
            onChange={setPassword}
            error={form.fieldError('password')}
            autoComplete="new-password"
            placeholder={current.hasPassword ? 'Stored (type a new one to replace it)' : 'None stored'}
          />
          <Field
            label="Base DN"
            value={settings.baseDn}
            onChange={(v) => change({ baseDn: v })}
            error={form.fieldError('baseDn')}
            autoComplete="off"
          />
          <Field
            label="Filter"
            value={settings.filter}
            onChange={(v) => change({ filter: v })}
            error={form.fieldError('filter')}
            autoComplete="off"
          />
          <Field
            label="Department attribute"
            value={settings.departmentAttribute}
            onChange={(v) => change({ departmentAttribute: v })}
            error={form.fieldError('departmentAttribute')}
            autoComplete="off"
          />
          <Field
            label="Email attribute"
            value={settings.emailAttribute}
            onChange={(v) => change({ emailAttribute: v })}
            error={form.fieldError('emailAttribute')}
            autoComplete="off"
          />
        </div>
        <FormError message={form.formError} />
        <button type="submit" disabled={form.pending}>
          Save the connection
        </button>
      </form>
      <section className="panel" aria-labelledby="directory-status">
        <h2 id="directory-status">Status</h2>
        <p role="status" data-testid="directory-status">
          {status}
          {current.nextRunAt !== null && !syncing ? ` · next run ${when(current.nextRunAt)}` : ''}
        </p>
        <button type="button" disabled={!current.enabled || syncing} onClick={() => void syncNow()}>
          Sync now
        </button>
        <FormError message={syncError} />
        {current.lastReport && <LastReport report={current.lastReport} />}
        <h3>Synced departments</h3>
        {current.departments.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="synced-departments">
            {current.departments.map((d) => (
              <li key={d.groupId}>
                {d.name} <SyncedMarker source={d.source} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {confirming && (
        <ConfirmDialog
          title="Sync departments from the directory?"
          description="Departments will be synced from the directory and assigned to people automatically, once a week and whenever you choose Sync now. Synced departments cannot be renamed or removed by hand while the sync is on."
          confirmLabel="Yes, continue"
          pendingLabel="Turning on…"
          danger={false}
          run={() => invoke('directory.configure', input(true))}
          onDone={(next) => {
            saved(next);
            setConfirming(false);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

function LastReport({ report }: { report: DirectoryReport }) {
  return (
    <div className="directory-report" data-testid="directory-report">
      <h3>
        Last run ({report.trigger === 'scheduled' ? 'weekly' : 'Sync now'}, {when(report.at)})
      </h3>
      {report.stopped ? (
        <p className="form-error">{report.stopped}</p>
      ) : (
        <ul>
          <li>Departments added: {report.departments.added.join(', ') || 'none'}</li>
          <li>Departments removed: {report.departments.removed.join(', ') || 'none'}</li>
          <li>
            People changed: {report.people.changed.length} (unchanged: {report.people.unchanged})
          </li>
          <li>
            Skipped: {report.skippedCount}
            {report.skipped.length > 0 && (
              <ul>
                {report.skipped.map((s) => (
                  <li key={`${s.entry}:${s.reason}`}>
                    {s.entry}: {s.reason}
                  </li>
                ))}
              </ul>
            )}
          </li>
        </ul>
      )}
    </div>
  );
}

/** The synced department's marker: a blue circle with an i, "synced from …" for screen readers and on hover. */
export function SyncedMarker({ source }: { source: string }) {
  return (
    <svg className="synced-marker" width="14" height="14" viewBox="0 0 16 16" role="img" aria-label={`synced from ${source}`}>
      <title>{`synced from ${source}`}</title>
      <circle cx="8" cy="8" r="7.5" fill="currentColor" />
      <rect x="7" y="7" width="2" height="5" rx="1" fill="#fff" />
      <circle cx="8" cy="4.6" r="1.1" fill="#fff" />
    </svg>
  );
}
