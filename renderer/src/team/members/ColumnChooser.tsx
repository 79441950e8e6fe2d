import { useTeam } from '../team-store';
import { COLUMN_LABELS } from './member-columns';

/** Show or hide columns; the choice is a preference of this console and survives a restart. */
export function ColumnChooser() {
  const visibility = useTeam((s) => s.columnVisibility);
  const setVisibility = useTeam((s) => s.setColumnVisibility);
  const hidden = Object.values(visibility).filter((v) => v === false).length;

  return (
    <details className="column-chooser">
      <summary>Columns{hidden > 0 ? ` (${hidden} hidden)` : ''}</summary>
      <fieldset className="column-chooser-panel">
        <legend>Show columns</legend>
        {Object.entries(COLUMN_LABELS).map(([id, label]) => (
          <label key={id} className="check">
            <input
              type="checkbox"
              checked={visibility[id] !== false}
              onChange={(e) => setVisibility({ ...visibility, [id]: e.target.checked })}
            />
            {label}
          </label>
        ))}
        {hidden > 0 && (
          <button type="button" className="link" onClick={() => setVisibility({})}>
            Show all columns
          </button>
        )}
      </fieldset>
    </details>
  );
}
