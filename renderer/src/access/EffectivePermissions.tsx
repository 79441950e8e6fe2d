import { useEffect, useState } from 'react';
import type { AreaEffect } from '../../../shared/access/effective';
import type { ApiError } from '../../../shared/result';
import { invoke } from '../api/client';
import { GroupPicker } from '../ui/GroupPicker';
import { useGroups } from '../state/groups-store';
import { pathLabel } from '../state/tree-model';
import { FormError } from '../ui/FormError';
import type { PickedUser } from '../ui/UserPicker';

const LEVELS = { none: 'None', read: 'Read', full: 'Full' } as const;

interface Loaded {
  key: string;
  areas: AreaEffect[] | null;
  error: ApiError | null;
}

/** The role matrix's view of one person at one group: what all their bindings add up to there. */
export function EffectivePermissions({ user, suggestedGroupId }: { user: PickedUser | null; suggestedGroupId: string | null }) {
  const model = useGroups((s) => s.model);
  const [chosen, setChosen] = useState<string | null>(null);
  const [onlyHeld, setOnlyHeld] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const groupId = chosen ?? suggestedGroupId;
  const key = user && groupId ? `${user.id}@${groupId}` : '';

  useEffect(() => {
    if (!user || !groupId) return;
    let live = true;
    const question = `${user.id}@${groupId}`;
    void invoke('access.effective', { userId: user.id, groupId }).then((result) => {
      if (live)
        setLoaded(
          result.ok ? { key: question, areas: result.value.areas, error: null } : { key: question, areas: null, error: result.error },
        );
    });
    return () => {
      live = false;
    };
  }, [user, groupId]);

  const current = loaded?.key === key ? loaded : null;
  const areas = (current?.areas ?? []).filter((a) => !onlyHeld || a.level !== 'none');

  return (
    <section className="panel wide-panel" aria-labelledby="effective-title">
      <h2 id="effective-title">Effective permissions</h2>
      <p className="muted">
        {user && groupId && model ? (
          <>
            What <strong>{user.fullName || user.username}</strong> may do at <strong>{pathLabel(model, groupId)}</strong>, from all their
            roles on its path, after the modules its kind has.
          </>
        ) : (
          'Choose a user above and a group here.'
        )}
      </p>
      <details className="inline-details">
        <summary>At a different group</summary>
        <GroupPicker label="Group" selectedId={groupId} onSelect={setChosen} />
      </details>
      <label className="check">
        <input type="checkbox" checked={onlyHeld} onChange={(e) => setOnlyHeld(e.target.checked)} />
        Show only areas with some access
      </label>
      {current?.error && <FormError message={current.error.message} />}
      {key && !current && <p className="loading">Working out the permissions…</p>}
      {current?.areas && (
        <table className="data-table effective-table">
          <caption className="sr-only">Effective permissions by area</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Level</th>
              <th scope="col">Permissions held</th>
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.area}>
                <th scope="row">{a.label}</th>
                <td>
                  {a.partial ? (
                    <span className="level level-partial" title={`Some ${LEVELS[a.level]} permissions of this area, not all: a custom mix`}>
                      Partial
                    </span>
                  ) : (
                    <span className={`level level-${a.level}`}>{LEVELS[a.level]}</span>
                  )}
                </td>
                <td className="keys">{a.keys.length > 0 ? a.keys.join(', ') : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
