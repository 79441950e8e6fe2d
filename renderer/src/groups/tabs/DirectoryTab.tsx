import { useEffect, useState, type FormEvent } from 'react';
import {
  DIRECTORY_CONNECTORS,
  type DirectoryConnector,
  type DirectoryReport,
  type DirectoryView,
  type Input,
} from '../../../../shared/contract';
import type { ApiError } from '../../../../shared/result';
import { invoke } from '../../api/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Switch } from '../../ui/Switch';
import { FormError } from '../../ui/FormError';
import { SelectField } from '../../ui/SelectField';
import { useApiForm } from '../../ui/use-api-form';
import { ConnectionFields } from '../directory/ConnectionFields';
import { CONNECTOR_NAMES, draftsFrom, EMPTY_DRAFTS, FORM_FIELDS, type Drafts } from '../directory/connection-drafts';
import { SyncedMarker } from '../../ui/SyncedMarker';
import type { TabProps } from './tab-props';
import '../../ui/sso.css';

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleString());

/**
 * Issue 14: the company's departments from its directory: LDAP or Active Directory,
 * Microsoft Entra ID through Microsoft Graph, or Google Workspace's Directory API. Off by
 * default; turning it on asks first (departments will be synced and assigned automatically).
 * Sync now, the status, the last run's report and the synced departments with their marker.
 * The secret (bind password, client secret, private key) is write-only.
 */
export function DirectoryTab({ detail }: TabProps) {
  const [view, setView] = useState<DirectoryView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [connector, setConnector] = useState<DirectoryConnector>('ldap');
  const [drafts, setDrafts] = useState<Drafts>(EMPTY_DRAFTS);
  const [secret, setSecret] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<string | null>(null);
  const form = useApiForm(FORM_FIELDS);

  useEffect(() => {
    let live = true;
    void invoke('directory.get', { companyId: detail.id }).then((result) => {
      if (!live) return;
      if (!result.ok) return setLoadError(result.error);
      setView(result.value);
      setDrafts(draftsFrom(result.value.settings));
      setConnector(result.value.settings?.connector ?? 'ldap');
    });
    return () => {
      live = false;
    };
  }, [detail.id]);

  if (loadError) return <FormError message={loadError.message} />;
  if (!view) return <p className="loading">Loading the directory sync…</p>;
  const current = view;
  // The stored secret belongs to the stored connector: another one starts with none.
  const hasSecret = current.hasSecret && current.settings?.connector === connector;
  const input = (enabled: boolean): Input<'directory.configure'> => ({
    companyId: detail.id,
    baseVersion: current.version,
    settings: drafts[connector],
    ...(secret ? { secret } : {}),
    enabled,
  });
  const saved = (next: DirectoryView) => {
    setView(next);
    setSecret('');
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void form.submit(() => invoke('directory.configure', input(current.enabled)), saved);
  }

  function fieldsProps() {
    const common = { secret, setSecret, hasSecret, fieldError: form.fieldError };
    const patch =
      <C extends DirectoryConnector>(c: C) =>
      (p: Partial<Drafts[C]>) =>
        setDrafts((d) => ({ ...d, [c]: { ...d[c], ...p } }));
    switch (connector) {
      case 'ldap':
        return { ...common, draft: drafts.ldap, change: patch('ldap') };
      case 'graph':
        return { ...common, draft: drafts.graph, change: patch('graph') };
      case 'google':
        return { ...common, draft: drafts.google, change: patch('google') };
    }
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
          Steward reads {detail.name}’s directory once a week and keeps its departments and who is in them. People are matched to their
          Steward accounts by email.
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
        <SelectField
          label="Directory"
          value={connector}
          onChange={(v) => setConnector(DIRECTORY_CONNECTORS.find((c) => c === v) ?? 'ldap')}
          error={form.fieldError('settings.connector') ?? form.fieldError('settings')}
        >
          {DIRECTORY_CONNECTORS.map((c) => (
            <option key={c} value={c}>
              {CONNECTOR_NAMES[c]}
            </option>
          ))}
        </SelectField>
        <ConnectionFields {...fieldsProps()} />
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
                {d.name} <SyncedMarker source={d.source} locked={current.enabled} />
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
