import type { SortingState, VisibilityState } from '@tanstack/react-table';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { MfaState, UserKind, UserStatus } from '../../../shared/contract';
import { navigateTo } from '../routes/navigate';
import { paths } from '../routes/paths';
import { useSession } from '../state/session';

/** Each list is "any of these" (empty: any); the conditions of different filters all apply (issue 15, finding 6). */
export interface MemberFilters {
  query: string;
  statuses: UserStatus[];
  kinds: UserKind[];
  mfa: MfaState[];
  roleIds: string[];
  /** People homed in this group or anywhere inside it (issue 15, finding 5). */
  groupId: string | null;
}

export const NO_FILTERS: MemberFilters = { query: '', statuses: [], kinds: [], mfa: [], roleIds: [], groupId: null };

export type TeamTab = 'members' | 'invitations';

interface TeamState {
  filters: MemberFilters;
  sorting: SortingState;
  pageIndex: number;
  pageSize: number;
  /** Columns the person hid; kept across sessions because it is a preference, not data. */
  columnVisibility: VisibilityState;
  /** What just happened, said once above the list (a member removed, a role changed). */
  notice: string | null;
  setNotice(notice: string | null): void;
  /** Goes to the tab's address (`/team`, `/team/invitations`). */
  setTab(tab: TeamTab): void;
  setFilters(change: Partial<MemberFilters>): void;
  setSorting(sorting: SortingState): void;
  setPage(pageIndex: number, pageSize?: number): void;
  /** Goes to a member's page (`/team/people/<id>`), or back to the list. */
  openUser(id: string | null): void;
  setColumnVisibility(visibility: VisibilityState): void;
}

/** Where the person is on the Team screen, so that coming back from a member's page finds the same list. */
export const useTeam = create<TeamState>()(
  persist(
    (set) => ({
      filters: NO_FILTERS,
      sorting: [{ id: 'username', desc: false }],
      pageIndex: 0,
      pageSize: 50,
      columnVisibility: {},
      notice: null,
      setNotice: (notice) => set({ notice }),
      setTab: (tab) => {
        set({ notice: null });
        navigateTo(tab === 'members' ? paths.team() : paths.invitations());
      },
      // Another filter means another list: start again at its first page.
      setFilters: (change) => set((s) => ({ filters: { ...s.filters, ...change }, pageIndex: 0 })),
      setSorting: (sorting) => set({ sorting, pageIndex: 0 }),
      setPage: (pageIndex, pageSize) => set((s) => ({ pageIndex, pageSize: pageSize ?? s.pageSize })),
      openUser: (id) => {
        set({ notice: null });
        navigateTo(id ? paths.person(id) : paths.team());
      },
      setColumnVisibility: (columnVisibility) => set({ columnVisibility }),
    }),
    {
      name: 'steward.team.columns',
      partialize: (s) => ({ columnVisibility: s.columnVisibility, pageSize: s.pageSize }),
    },
  ),
);

// Another person signing in on this console starts from a fresh list; their column choice stays a preference of the console.
useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  useTeam.setState({
    filters: NO_FILTERS,
    sorting: [{ id: 'username', desc: false }],
    pageIndex: 0,
    notice: null,
  });
});
