import type { Input, UserFilter, UserSummary } from '../../../../shared/contract';
import { USER_SORTS } from '../../../../shared/contract';
import { useOp } from '../../data/query';
import { useTeam, type MemberFilters } from '../team-store';
import { useDebounced } from '../../ui/use-debounced';

type Sort = (typeof USER_SORTS)[number];

export interface MembersPage {
  users: UserSummary[];
  total: number;
  /** True while the rows shown are not the answer to the current filters yet. */
  loading: boolean;
  /** True until the first answer of any kind. */
  initial: boolean;
  error: string | null;
  /** The filters, sort and page of the request, as one string: selection is kept per filter set. */
  filterKey: string;
  reload: () => void;
}

function isSort(id: string): id is Sort {
  return (USER_SORTS as readonly string[]).includes(id);
}

/** The form's filters as the server's filter: only what is set, so an empty form asks for everyone visible. */
export function toUserFilter(filters: MemberFilters, query: string): UserFilter {
  return {
    ...(query ? { query } : {}),
    ...(filters.statuses.length > 0 ? { statuses: filters.statuses } : {}),
    ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
    ...(filters.mfa.length > 0 ? { mfa: filters.mfa } : {}),
    ...(filters.roleIds.length > 0 ? { roleIds: filters.roleIds } : {}),
    ...(filters.groupId ? { groupId: filters.groupId } : {}),
  };
}

/** One page of users.list: filtering, sorting and paging all happen in SQLite, never here. */
export function useMembers(): MembersPage {
  const { filters, sorting, pageIndex, pageSize } = useTeam();
  const query = useDebounced(filters.query.trim(), 250);

  const sort = sorting[0];
  const input: Input<'users.list'> = {
    ...toUserFilter(filters, query),
    ...(sort && isSort(sort.id) ? { sort: sort.id, descending: sort.desc } : {}),
    offset: pageIndex * pageSize,
    limit: pageSize,
  };
  const filterKey = JSON.stringify({ ...input, offset: undefined, limit: undefined, sort: undefined, descending: undefined });
  // Another page or filter keeps the rows shown until its answer arrives; a command that changes people refreshes it.
  const page = useOp('users.list', input, { keepPrevious: true });

  return {
    users: page.error ? [] : (page.data?.users ?? []),
    total: page.data?.total ?? 0,
    loading: page.isPlaceholderData || page.isFetching,
    initial: page.isPending,
    error: page.error?.message ?? null,
    filterKey,
    reload: () => void page.refetch(),
  };
}
