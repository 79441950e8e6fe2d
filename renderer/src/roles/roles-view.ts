import { create } from 'zustand';
import type { AreaId } from '../../../shared/access/catalog';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';
import { useSession } from '../state/session';

interface RolesViewState {
  /** Roles shown beside it in the matrix, for comparison. */
  compareIds: string[];
  /** A message about the last change, shown above the list. */
  notice: string | null;
  /** Matrix areas shown with their single keys; kept across saves and screen changes. */
  expanded: ReadonlySet<AreaId>;
  /** Opens a role in the editor (`/roles/<id>`), or shows the list alone. */
  open(id: string | null): void;
  setCompare(ids: string[]): void;
  setNotice(notice: string | null): void;
  setExpanded(expanded: ReadonlySet<AreaId>): void;
}

/** UI state of the roles screen only: which role is open and which are compared; role data stays on the server. */
export const useRolesView = create<RolesViewState>()((set) => ({
  compareIds: [],
  notice: null,
  expanded: new Set(),
  open: (openId) => {
    set((s) => ({ compareIds: s.compareIds.filter((id) => id !== openId) }));
    navigateTo(openId ? paths.role(openId) : paths.screen('roles'));
  },
  setCompare: (compareIds) => set({ compareIds }),
  setNotice: (notice) => set({ notice }),
  setExpanded: (expanded) => set({ expanded }),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useRolesView.setState({ compareIds: [], notice: null, expanded: new Set() });
});
