import { useId } from 'react';
import { isCompanyKind, KIND_LABELS } from '../../../../shared/access/groups';
import { useGroups } from '../../state/groups-store';
import { SyncedMarker } from '../../ui/SyncedMarker';
import { isWithin, type TreeModel } from '../../state/tree-model';

/** The nearest company at or above a group: where a person's locations and departments live. */
export function companyIdOf(model: TreeModel | null, groupId: string | null): string | null {
  let id = groupId;
  while (model && id) {
    const node = model.nodes.get(id);
    if (!node) return null;
    if (isCompanyKind(node.group.kind)) return id;
    id = node.parentId;
  }
  return null;
}

interface KindGroupChecklistProps {
  kind: 'location' | 'department';
  /** Only groups inside this one are offered (the person's company); null offers every one the caller sees. */
  within: string | null;
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  disabled?: boolean;
  /** Membership: a department the directory sync owns (R29) cannot be ticked or unticked here. */
  lockSynced?: boolean;
}

/** Tick one or more groups of one kind: the department picker seed 004 shows below the Group Supervisor role. */
export function KindGroupChecklist({
  kind,
  within,
  selected,
  onChange,
  legend,
  hint,
  error,
  disabled,
  lockSynced,
}: KindGroupChecklistProps) {
  const model = useGroups((s) => s.model);
  const hintId = useId();
  const plural = `${KIND_LABELS[kind].toLowerCase()}s`;
  const ids = model ? model.order.filter((id) => model.nodes.get(id)?.group.kind === kind && (!within || isWithin(model, id, within))) : [];
  const companyName = within ? (model?.nodes.get(within)?.group.name ?? 'this company') : 'the groups you see';

  function toggle(id: string, on: boolean) {
    onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  }

  return (
    <fieldset className={`kind-checklist${error ? ' field-invalid' : ''}`} aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}</legend>
      {!model ? (
        <p className="muted">Loading {plural}…</p>
      ) : ids.length === 0 ? (
        <p className="empty-state">
          {companyName} has no {plural} yet. Add one on the Customers screen (new group of kind {KIND_LABELS[kind]}), then come back.
        </p>
      ) : (
        <ul className="kind-checklist-items">
          {ids.map((id) => {
            const group = model.nodes.get(id)?.group;
            const owned = lockSynced === true && group?.synced?.locked === true;
            return (
              <li key={id}>
                <label
                  className="check"
                  {...(owned ? { title: `Synced from ${group.synced?.source ?? ''}: change it in the directory` } : {})}
                >
                  <input
                    type="checkbox"
                    checked={selected.includes(id)}
                    disabled={disabled || owned}
                    onChange={(event) => toggle(id, event.target.checked)}
                  />
                  {group?.name}
                  {group?.synced && <SyncedMarker source={group.synced.source} locked={group.synced.locked} />}
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
