import { useMemo, useState } from 'react';
import { KIND_LABELS } from '../../../shared/access/groups';
import type { SearchOption } from './SearchList';
import { SearchList } from './SearchList';
import { useGroups } from '../state/groups-store';
import { KindIcon } from './KindIcon';
import { SyncedMarker } from './SyncedMarker';
import { pathLabel } from '../state/tree-model';

const SHOWN = 100;

interface GroupPickerProps {
  label: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Why a group cannot be picked here, or null when it can. */
  reasonAgainst?: (id: string) => string | null;
  error?: string | undefined;
  autoFocus?: boolean;
}

/** Search any of the groups the caller sees by name; each is shown with its path, since names repeat across customers. */
export function GroupPicker({ label, selectedId, onSelect, reasonAgainst, error, autoFocus }: GroupPickerProps) {
  const model = useGroups((s) => s.model);
  const loading = useGroups((s) => s.loading);
  const [query, setQuery] = useState('');

  const { options, total } = useMemo(() => {
    if (!model) return { options: [], total: 0 };
    const needle = query.trim().toLocaleLowerCase();
    const ids = model.order.filter((id) => !needle || model.nodes.get(id)?.group.name.toLocaleLowerCase().includes(needle));
    // Groups that can be picked come first; the others stay listed with their reason, so nothing silently disappears.
    const ranked = ids.map((id) => ({ id, reason: reasonAgainst?.(id) ?? null }));
    ranked.sort((a, b) => Number(a.reason !== null) - Number(b.reason !== null));
    const options: SearchOption[] = ranked.slice(0, SHOWN).map(({ id, reason }) => {
      const group = model.nodes.get(id)?.group;
      return {
        id,
        disabledReason: reason,
        content: group && (
          <span className="group-option">
            <KindIcon kind={group.kind} />
            <span>
              <span className="group-option-name">
                {group.name}
                {group.synced && <SyncedMarker source={group.synced.source} locked={group.synced.locked} />}
              </span>
              <span className="group-option-path">
                {KIND_LABELS[group.kind]} · {pathLabel(model, id)}
              </span>
            </span>
          </span>
        ),
      };
    });
    return { options, total: ids.length };
  }, [model, query, reasonAgainst]);

  const note = total > SHOWN ? `Showing ${SHOWN} of ${total.toLocaleString()} groups. Type more of the name to narrow the list.` : null;
  const selected = selectedId && model ? pathLabel(model, selectedId) : null;

  return (
    <>
      <SearchList
        label={label}
        query={query}
        onQuery={setQuery}
        options={options}
        selectedId={selectedId}
        onSelect={onSelect}
        note={note}
        emptyText={query.trim() ? `No groups match “${query.trim()}”` : 'No groups to choose from'}
        placeholder="Type part of a group name"
        error={error}
        busy={loading && !model}
        autoFocus={autoFocus}
      />
      <p className="picked" aria-live="polite">
        {selected ? (
          <>
            Chosen: <strong>{selected}</strong>
          </>
        ) : (
          'Nothing chosen yet.'
        )}
      </p>
    </>
  );
}
