import { create } from 'zustand';
import { useParams } from 'react-router';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';
import { useSession } from './session';

/**
 * What the person did to the customer tree: which rows are open, which one is focused and
 * which one has the keyboard. The group shown in the detail panel is the address's (`/customers/<id>`);
 * the groups themselves live in groups-store.
 */
interface CustomerTreeState {
  expanded: ReadonlySet<string>;
  /** Rows closed by hand while searching; searching opens every ancestor of a match otherwise. */
  searchCollapsed: ReadonlySet<string>;
  query: string;
  activeId: string | null;
  setQuery(query: string): void;
  setOpen(id: string, open: boolean): void;
  expandAll(ids: readonly string[]): void;
  /** Shows a group in the detail panel: goes to its address. */
  select(id: string | null): void;
  focus(id: string | null): void;
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
  activeId: null,
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
  select: (id) => {
    set({ activeId: id });
    navigateTo(id ? paths.group(id) : paths.screen('customers'));
  },
  focus: (id) => set({ activeId: id }),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useCustomerTree.setState({ expanded: new Set(), searchCollapsed: new Set(), query: '', activeId: null });
});

/** The group whose detail is shown: the one the address names, or null. */
export function useSelectedGroupId(): string | null {
  return useParams().groupId ?? null;
}
