import { permission } from '../../../shared/access/catalog';
import type { RolePreview } from '../../../shared/contract';
import { plural } from '../ui/format';

const labelOf = (key: string) => `${permission(key)?.label ?? key} (${key})`;

/** The what-if of a role change (roles.preview): who gains or loses what, over how much, with the people one click away. */
export function PreviewSummary({ preview }: { preview: RolePreview }) {
  const affected = preview.people.filter((p) => p.gained.length + p.lost.length > 0);
  if (preview.holders === 0) {
    return (
      <p className="preview-reach" data-testid="preview-reach">
        Nobody holds this role yet: saving changes nobody’s access.
      </p>
    );
  }
  return (
    <div className="preview">
      <p className="preview-reach" data-testid="preview-reach">
        {plural(preview.holders, 'person holds', 'people hold')} this role, over {plural(preview.devices, 'device', 'devices')} and{' '}
        {plural(preview.groups, 'group', 'groups')}.
      </p>
      {preview.changes.length === 0 ? (
        <p>Nobody gains or loses a permission: every change is already granted to its holders by another role.</p>
      ) : (
        <table className="data-table" aria-label="Effect on holders">
          <thead>
            <tr>
              <th scope="col">Permission</th>
              <th scope="col">Gain it</th>
              <th scope="col">Lose it</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((c) => (
              <tr key={c.key} data-testid="preview-change">
                <th scope="row">{labelOf(c.key)}</th>
                <td>{c.gained > 0 ? `${plural(c.gained, 'person gains', 'people gain')} it` : '—'}</td>
                <td>{c.lost > 0 ? `${plural(c.lost, 'person loses', 'people lose')} it` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {affected.length > 0 && (
        <details className="inline-details">
          <summary>Show the {plural(affected.length, 'person', 'people')} affected</summary>
          <ul className="preview-people" aria-label="People affected">
            {affected.map((p) => (
              <li key={p.userId}>
                <strong>{p.username}</strong>
                {p.gained.length > 0 && <> gains {p.gained.map(labelOf).join(', ')}</>}
                {p.gained.length > 0 && p.lost.length > 0 && ';'}
                {p.lost.length > 0 && <> loses {p.lost.map(labelOf).join(', ')}</>}
              </li>
            ))}
          </ul>
          {preview.people.length < preview.holders && (
            <p className="muted">The first {preview.people.length.toLocaleString()} holders are listed.</p>
          )}
        </details>
      )}
    </div>
  );
}
