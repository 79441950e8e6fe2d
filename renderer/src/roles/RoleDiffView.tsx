import { permission } from '../../../shared/access/catalog';
import type { DiffedField, RoleDiff } from '../../../shared/access/role-diff';

const FIELD_LABELS: Record<DiffedField, string> = {
  name: 'Name',
  description: 'Description',
  deviceVisibility: 'Device visibility',
  scopeKind: 'Bindings limited to',
};

const shown = (value: string | null) => (value === null || value === '' ? '(none)' : `“${value}”`);

/** A diff between two contents of a role, in words: keys added and removed, fields changed. */
export function RoleDiffView({ diff, label }: { diff: RoleDiff; label: string }) {
  const empty = diff.added.length + diff.removed.length + diff.changed.length === 0;
  if (empty) return <p data-testid="role-diff">No difference.</p>;
  return (
    <ul className="role-diff" aria-label={label} data-testid="role-diff">
      {diff.changed.map((c) => (
        <li key={c.field}>
          {FIELD_LABELS[c.field]}: {shown(c.from)} → {shown(c.to)}
        </li>
      ))}
      {diff.added.map((k) => (
        <li key={`+${k}`} className="diff-added">
          Added {permission(k)?.label ?? k} ({k})
        </li>
      ))}
      {diff.removed.map((k) => (
        <li key={`-${k}`} className="diff-removed">
          Removed {permission(k)?.label ?? k} ({k})
        </li>
      ))}
    </ul>
  );
}
