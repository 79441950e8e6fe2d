import { useEffect, useRef, useState } from 'react';
import { PickerDialog } from './PickerDialog';
import { FilterChooser } from './FilterChooser';
import { GroupPicker } from './GroupPicker';
import { ensureGroups, useGroups } from '../state/groups-store';
import { pathLabel } from '../state/tree-model';

interface GroupFilterProps {
  groupId: string | null;
  onChange: (groupId: string | null) => void;
  testId: string;
  /** What the filter keeps, for the picker's dialog: "Devices owned by the group you pick or by any group inside it." */
  description: string;
  /** What is listed, for the dialog's title: "Filter devices by group". */
  title: string;
}

/**
 * A list's group filter: the chosen group by its own name (its path in the tooltip), ✕ to
 * drop it, and a picker of the groups the person may see. Devices and Team share it.
 */
export function GroupFilter({ groupId, onChange, testId, description, title }: GroupFilterProps) {
  const model = useGroups((s) => s.model);
  const [picking, setPicking] = useState(false);
  const name = groupId ? (model?.nodes.get(groupId)?.group.name ?? 'the chosen group') : null;
  // A group the tree does not know yet (made since it was read, reached by a link) has the tree read again, once.
  const known = model?.nodes.has(groupId ?? '') ?? false;
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!groupId || known || asked.current === groupId) return;
    asked.current = groupId;
    if (useGroups.getState().model) void useGroups.getState().load();
    else ensureGroups();
  }, [groupId, known]);
  return (
    <>
      <FilterChooser
        legend="Group"
        testId={testId}
        chosen={name}
        chosenTitle={groupId && model?.nodes.has(groupId) ? `${pathLabel(model, groupId)}, and everything inside` : undefined}
        anyText="All groups"
        onChoose={() => {
          // Others may have added groups since the tree was read: the picker offers today's.
          void useGroups.getState().load();
          setPicking(true);
        }}
        onClear={() => onChange(null)}
        clearLabel="All groups"
      />
      {picking && (
        <PickerDialog title={title} description={description} onClose={() => setPicking(false)}>
          <GroupPicker
            label="Group"
            selectedId={groupId}
            autoFocus
            onSelect={(id) => {
              onChange(id);
              setPicking(false);
            }}
          />
        </PickerDialog>
      )}
    </>
  );
}
