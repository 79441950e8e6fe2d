import { create } from 'zustand';
import type { GroupSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { onInvalidated } from '../data/invalidate';
import { useSession } from './session';
import { buildTreeModel, pathLabel, type TreeModel } from './tree-model';

interface GroupsState {
  groups: GroupSummary[] | null;
  model: TreeModel | null;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
}

let latest = 0;

/** The groups the caller may see, shared by the customer tree and every group picker. */
export const useGroups = create<GroupsState>()((set) => ({
  groups: null,
  model: null,
  loading: false,
  error: null,
  async load() {
    const ticket = ++latest;
    set({ loading: true });
    const result = await invoke('groups.tree', {});
    // An older answer arriving after a newer one must not overwrite it.
    if (ticket !== latest) return;
    if (result.ok) set({ groups: result.value.groups, model: buildTreeModel(result.value.groups), loading: false, error: null });
    else set({ loading: false, error: result.error.message });
  },
}));

// What one person may see is not another's: forget the tree when the signed-in user changes.
useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  latest++;
  useGroups.setState({ groups: null, model: null, loading: false, error: null });
});

// A command that changes the tree (shared/contract/invalidation.ts) loads it again, wherever it was made.
onInvalidated('groups.tree', () => {
  if (useGroups.getState().model) void useGroups.getState().load();
});

/** Loads the tree unless it is already here, for pickers opened on demand. */
export function ensureGroups(): void {
  if (!useGroups.getState().model) void useGroups.getState().load();
}

/** A filter's chosen group by its path, or a stand-in until the tree has loaded; null when no group is chosen. */
export function useChosenGroupLabel(groupId: string | null): string | null {
  const model = useGroups((s) => s.model);
  return groupId ? (model ? pathLabel(model, groupId) : 'the chosen group') : null;
}
