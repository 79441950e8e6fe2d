import { create } from 'zustand';
import type { AreaId } from '../../../shared/access/catalog';
import { useSession } from '../state/session';

interface RolesViewState {
  /** The role open in the editor, or null for the list alone. */
  openId: string | null;
  /** Roles shown beside it in the matrix, for comparison. */
  compareIds: string[];
  /** A message about the last change, shown above the list. */
  notice: string | null;
  /** Matrix areas shown with their single keys; kept across saves and screen changes. */
  expanded: ReadonlySet<AreaId>;
  open(id: string | null): void;
  setCompare(ids: string[]): void;
  setNotice(notice: string | null): void;
  setExpanded(expanded: ReadonlySet<AreaId>): void;
}

/** UI state of the roles screen only: which role is open and which are compared; role data stays on the server. */
export const useRolesView = create<RolesViewState>()((set) => ({
  openId: null,
  compareIds: [],
  notice: null,
  expanded: new Set(),
  open: (openId) => set((s) => ({ openId, compareIds: s.compareIds.filter((id) => id !== openId) })),
  setCompare: (compareIds) => set({ compareIds }),
  setNotice: (notice) => set({ notice }),
  setExpanded: (expanded) => set({ expanded }),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useRolesView.setState({ openId: null, compareIds: [], notice: null, expanded: new Set() });
});
