import { create } from 'zustand';
import { useSession } from './session';

/**
 * What the person did to the customer tree: which rows are open, which one is focused and
 * which one is shown in the detail panel. The groups themselves live in groups-store.
 */
interface CustomerTreeState {
  expanded: ReadonlySet<string>;
  /** Rows closed by hand while searching; searching opens every ancestor of a match otherwise. */
  searchCollapsed: ReadonlySet<string>;
  query: string;
  selectedId: string | null;
  activeId: string | null;
  /** Bumped after a change so the detail panel fetches again. */
  detailRevision: number;
  setQuery(query: string): void;
  setOpen(id: string, open: boolean): void;
  expandAll(ids: readonly string[]): void;
  select(id: string | null): void;
  focus(id: string | null): void;
  changed(): void;
}

function withMember(set: ReadonlySet<string>, id: string, member: boolean): ReadonlySet<string> {
  if (set.has(id) === member) return set;
  const next = new Set(set);
  if (member) next.add(id);
  else next.delete(id);
  return next;
}

export const useCustomerTree = create<CustomerTreeState>()((set) => ({
  expanded: new Set(),
  searchCollapsed: new Set(),
  query: '',
  selectedId: null,
  activeId: null,
  detailRevision: 0,
  setQuery: (query) => set({ query, searchCollapsed: new Set() }),
  setOpen: (id, open) =>
    set((state) =>
      state.query.trim()
        ? { searchCollapsed: withMember(state.searchCollapsed, id, !open) }
        : { expanded: withMember(state.expanded, id, open) },
    ),
  expandAll: (ids) =>
    set((state) => {
      if (ids.every((id) => state.expanded.has(id))) return {};
      return { expanded: new Set([...state.expanded, ...ids]) };
    }),
  select: (id) => set({ selectedId: id, activeId: id }),
  focus: (id) => set({ activeId: id }),
  changed: () => set((state) => ({ detailRevision: state.detailRevision + 1 })),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useCustomerTree.setState({ expanded: new Set(), searchCollapsed: new Set(), query: '', selectedId: null, activeId: null });
});
