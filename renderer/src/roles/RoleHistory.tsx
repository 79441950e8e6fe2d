import { useState } from 'react';
import { diffRoleVersions } from '../../../shared/access/role-diff';
import type { RoleDetail, RoleVersion } from '../../../shared/contract';
import { invoke } from '../api/client';
import { formatDateTime, plural } from '../ui/format';
import { ActionButton } from '../ui/ActionButton';
import { SelectField } from '../ui/SelectField';
import { TableHead } from '../ui/TableHead';
import { keyChanges } from './matrix-model';
import { ReviewDialog } from './ReviewDialog';
import { RoleDiffView } from './RoleDiffView';
import type { RoleGuard } from './role-guard';

/** Issue 5, item 5: every saved version, a diff between any two, and revert through the same guard and preview. */
interface RoleHistoryProps {
  role: RoleDetail;
  guard: RoleGuard;
  onReverted: (version: number) => void;
  /** Fetches the role again after a revert refused as based on a stale copy. */
  onReload: () => void;
}

export function RoleHistory({ role, guard, onReverted, onReload }: RoleHistoryProps) {
  const versions = [...role.versions].sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const [fromV, setFromV] = useState(String(versions[1]?.version ?? latest?.version ?? ''));
  const [toV, setToV] = useState(String(latest?.version ?? ''));
  const [reverting, setReverting] = useState<RoleVersion | null>(null);

  if (!latest) return <p className="muted">No saved versions.</p>;
  const byNumber = (v: string) => versions.find((x) => String(x.version) === v);
  const from = byNumber(fromV);
  const to = byNumber(toV);

  function revertLock(version: RoleVersion): string | null {
    if (guard.locked) return guard.locked;
    if (version.version === latest?.version) return 'This is the current version.';
    const { added, removed } = keyChanges(new Set(role.permissions), new Set(version.permissions));
    // Changing device visibility re-grants every key, as the server's guard has it.
    const touched = version.deviceVisibility !== role.deviceVisibility ? version.permissions : [...added, ...removed];
    for (const key of touched) {
      const lock = guard.keyLock(key, version.deviceVisibility);
      if (lock) return lock;
    }
    return null;
  }

  const options = versions.map((v) => (
    <option key={v.version} value={v.version}>
      Version {v.version} · {formatDateTime(v.at)}
    </option>
  ));

  return (
    <section className="panel role-history" aria-labelledby="role-history">
      <h2 id="role-history">History</h2>
      <table className="data-table" aria-label="Versions">
        <TableHead columns={['Version', 'Saved', 'By', 'Name', 'Permissions']} actions="Actions" />
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                {v.version}
                {v.version === latest.version && <span className="tag">Current</span>}
              </th>
              <td>{formatDateTime(v.at)}</td>
              <td>{v.by}</td>
              <td>{v.name}</td>
              <td>{plural(v.permissions.length, 'permission', 'permissions')}</td>
              <td>
                <ActionButton quiet reason={revertLock(v)} onClick={() => setReverting(v)} aria-label={`Revert to version ${v.version}`}>
                  Revert…
                </ActionButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <div className="history-diff">
          <h3>Compare two versions</h3>
          <div className="form-grid">
            <SelectField label="From version" value={fromV} onChange={setFromV}>
              {options}
            </SelectField>
            <SelectField label="To version" value={toV} onChange={setToV}>
              {options}
            </SelectField>
          </div>
          {from && to && <RoleDiffView diff={diffRoleVersions(from, to)} label={`Changes from version ${from.version} to ${to.version}`} />}
        </div>
      )}
      {reverting && (
        <ReviewDialog
          title={`Revert ${role.name} to version ${reverting.version}?`}
          roleId={role.id}
          baseVersion={role.version}
          next={reverting}
          note={<p>Saved as a new version; the versions in between stay in the history.</p>}
          changesLabel={`Changes when reverting to version ${reverting.version}`}
          confirmLabel="Revert"
          run={() => invoke('roles.revert', { id: role.id, version: reverting.version, baseVersion: role.version })}
          onDone={(version) => {
            setReverting(null);
            onReverted(version);
          }}
          onReload={() => {
            setReverting(null);
            onReload();
          }}
          onClose={() => setReverting(null)}
        />
      )}
    </section>
  );
}
