import { useState, type KeyboardEvent } from 'react';
import { AREAS, areaPermissions, type AreaId, type PermissionDef } from '../../../shared/access/catalog';
import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { AreaLevel } from '../../../shared/access/effective';
import { AREA_IDS, areaLevel, LEVEL_LABELS, partialText, withAreaLevel, withKey } from './matrix-model';
import { useRolesView } from './roles-view';
import type { RoleGuard } from './role-guard';

export interface MatrixColumn {
  id: string;
  name: string;
  keys: ReadonlySet<string>;
  /** Why this column cannot be changed here, or null for the role being edited. */
  readOnly: string | null;
}

interface PermissionMatrixProps {
  columns: readonly MatrixColumn[];
  guard: RoleGuard;
  visibility: DeviceVisibility;
  onChange: (keys: Set<string>) => void;
}

const LEVELS: readonly AreaLevel[] = ['none', 'read', 'full'];

/**
 * R1: areas as rows with None · Read · Full, each expandable to its single
 * keys; roles as columns. Arrow up and down move between rows in a column, left and right
 * change an area's level (radio buttons), space ticks a key, tab goes through the cells.
 */
export function PermissionMatrix({ columns, guard, visibility, onChange }: PermissionMatrixProps) {
  const expanded = useRolesView((s) => s.expanded);
  const setExpanded = useRolesView((s) => s.setExpanded);
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const keyLock = (def: PermissionDef) => guard.keyLock(def.key, visibility);

  const differs = (keys: readonly string[]) => columns.some((c) => keys.some((k) => c.keys.has(k) !== columns[0]?.keys.has(k)));
  const areas = AREA_IDS.filter((a) => !onlyDifferences || differs(areaPermissions(a).map((d) => d.key)));

  function toggle(area: AreaId) {
    const next = new Set(expanded);
    if (next.has(area)) next.delete(area);
    else next.add(area);
    setExpanded(next);
  }

  // Rows are numbered as rendered, so arrow keys reach the cell above or below in the same column.
  let row = 0;
  const rows = areas.map((area) => {
    const areaRow = row++;
    const keyRows = expanded.has(area)
      ? areaPermissions(area)
          .filter((d) => !onlyDifferences || differs([d.key]))
          .map((def) => ({ def, index: row++ }))
      : [];
    return { area, areaRow, keyRows };
  });

  return (
    <div className="matrix-wrap">
      <div className="matrix-tools">
        <button type="button" onClick={() => setExpanded(new Set(AREA_IDS))}>
          Expand all
        </button>
        <button type="button" onClick={() => setExpanded(new Set())}>
          Collapse all
        </button>
        {columns.length > 1 && (
          <label className="check">
            <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.target.checked)} />
            Only rows where the roles differ
          </label>
        )}
      </div>
      <table className="matrix" aria-label="Permission matrix" onKeyDown={moveByArrow}>
        <thead>
          <tr>
            <th scope="col">Area</th>
            {columns.map((c) => (
              <th scope="col" key={c.id} title={c.readOnly ?? undefined}>
                {c.name}
                {c.readOnly && <span className="matrix-readonly"> (read-only)</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ area, areaRow, keyRows }) => (
            <AreaRows
              key={area}
              area={area}
              areaRow={areaRow}
              keyRows={keyRows}
              open={expanded.has(area)}
              onToggle={() => toggle(area)}
              columns={columns}
              guard={guard}
              keyLock={keyLock}
              onChange={onChange}
            />
          ))}
        </tbody>
      </table>
      {areas.length === 0 && <p className="empty-state">The roles compared hold exactly the same permissions.</p>}
    </div>
  );
}

interface AreaRowsProps {
  area: AreaId;
  areaRow: number;
  keyRows: Array<{ def: PermissionDef; index: number }>;
  open: boolean;
  onToggle: () => void;
  columns: readonly MatrixColumn[];
  guard: RoleGuard;
  keyLock: (def: PermissionDef) => string | null;
  onChange: (keys: Set<string>) => void;
}

function AreaRows({ area, areaRow, keyRows, open, onToggle, columns, guard, keyLock, onChange }: AreaRowsProps) {
  const label = AREAS[area];
  const defs = areaPermissions(area);
  const locks = defs.map(keyLock).filter((r): r is string => r !== null);
  const allLocked = locks.length === defs.length;
  const unavailable = defs.map((d) => guard.unavailable(d.key)).find((r) => r !== null) ?? null;
  const wholeAreaUnavailable = unavailable !== null && defs.every((d) => guard.unavailable(d.key) !== null);
  return (
    <>
      <tr className={`matrix-area${wholeAreaUnavailable ? ' unavailable' : ''}`}>
        <th scope="row" title={wholeAreaUnavailable ? unavailable : undefined}>
          <button
            type="button"
            className="twisty-button"
            aria-expanded={open}
            data-cell={`${areaRow}:0`}
            onClick={onToggle}
            aria-label={`${label}: ${open ? 'hide' : 'show'} its ${defs.length} permissions`}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {label}
          </button>
        </th>
        {columns.map((column, c) => {
          const { level, partial } = areaLevel(area, column.keys);
          const reason = column.readOnly ?? (allLocked ? locks[0] : null) ?? null;
          const someLocked = !column.readOnly && !allLocked && locks.length > 0;
          return (
            <td key={column.id} title={reason ?? (someLocked ? `Some keys here stay as they are: ${locks[0]}` : undefined)}>
              <div
                role="radiogroup"
                aria-label={`${label} for ${column.name}`}
                className={`levels${partial ? ' partial' : ''}`}
                data-cell={`${areaRow}:${c + 1}`}
              >
                {LEVELS.map((l) => (
                  <label key={l} className={`level-choice level-${l}`}>
                    <input
                      type="radio"
                      name={`${column.id}-${area}`}
                      value={l}
                      checked={!partial && level === l}
                      disabled={reason !== null}
                      onChange={() => onChange(withAreaLevel(column.keys, area, l, keyLock))}
                    />
                    {LEVEL_LABELS[l]}
                  </label>
                ))}
                {partial && (
                  // A mix is not a level one picks: it is shown chosen, and choosing None, Read or Full replaces it.
                  <label className="level-choice level-partial" title={partialText(area, column.keys) ?? undefined}>
                    <input type="radio" name={`${column.id}-${area}`} value="partial" checked readOnly disabled={reason !== null} />
                    Partial
                  </label>
                )}
              </div>
            </td>
          );
        })}
      </tr>
      {keyRows.map(({ def, index }) => {
        const unavailable = guard.unavailable(def.key);
        return (
          <tr key={def.key} className={`matrix-key${unavailable ? ' unavailable' : ''}`}>
            <th scope="row" title={unavailable ?? undefined}>
              <span className="key-label" data-cell={`${index}:0`} tabIndex={-1}>
                {def.label}
              </span>
              <code className="key-name">
                {def.key}
                {def.seedName && ` · ${def.seedName}`}
              </code>
              <span className="key-level">{def.level === 'full' ? 'Full' : 'Read'}</span>
              {unavailable && <span className="key-note">{unavailable}</span>}
            </th>
            {columns.map((column, c) => {
              const reason = column.readOnly ?? keyLock(def);
              const on = column.keys.has(def.key);
              return (
                <td key={column.id} title={reason ?? undefined}>
                  <input
                    type="checkbox"
                    aria-label={`${def.label} (${def.key}) for ${column.name}`}
                    checked={on}
                    disabled={reason !== null}
                    data-cell={`${index}:${c + 1}`}
                    onChange={(e) => onChange(withKey(column.keys, def.key, e.target.checked))}
                  />
                  {reason && !column.readOnly && <span className="sr-only">{reason}</span>}
                </td>
              );
            })}
          </tr>
        );
      })}
    </>
  );
}

/** Arrow up and down: the same column in the row above or below, skipping cells that cannot take focus. */
function moveByArrow(event: KeyboardEvent<HTMLTableElement>) {
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
  const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-cell]');
  if (!cell) return;
  const [r, c] = (cell.dataset.cell ?? '').split(':').map(Number);
  if (r === undefined || c === undefined || Number.isNaN(r)) return;
  event.preventDefault();
  const table = event.currentTarget;
  const step = event.key === 'ArrowUp' ? -1 : 1;
  for (let next = r + step; next >= 0; next += step) {
    const target = table.querySelector<HTMLElement>(`[data-cell="${next}:${c}"]`);
    if (!target) return;
    const focusable = focusTarget(target);
    if (focusable) {
      focusable.focus();
      return;
    }
  }
}

function focusTarget(cell: HTMLElement): HTMLElement | null {
  if (cell instanceof HTMLInputElement || cell instanceof HTMLButtonElement) return cell.disabled ? null : cell;
  if (cell.getAttribute('role') === 'radiogroup')
    return cell.querySelector<HTMLElement>('input:checked:not(:disabled)') ?? cell.querySelector<HTMLElement>('input:not(:disabled)');
  return cell;
}
