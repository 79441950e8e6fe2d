import { create } from 'zustand';
import { useSession } from '../state/session';

interface RolesViewState {
  /** The role open in the editor, or null for the list alone. */
  openId: string | null;
  /** Roles shown beside it in the matrix, for comparison. */
  compareIds: string[];
  /** A message about the last change, shown above the list. */
  notice: string | null;
  open(id: string | null): void;
  setCompare(ids: string[]): void;
  setNotice(notice: string | null): void;
}

/** UI state of the roles screen only: which role is open and which are compared; role data stays on the server. */
export const useRolesView = create<RolesViewState>()((set) => ({
  openId: null,
  compareIds: [],
  notice: null,
  open: (openId) => set((s) => ({ openId, compareIds: s.compareIds.filter((id) => id !== openId) })),
  setCompare: (compareIds) => set({ compareIds }),
  setNotice: (notice) => set({ notice }),
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useRolesView.setState({ openId: null, compareIds: [], notice: null });
});
