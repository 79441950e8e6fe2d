import { useEffect, useState } from 'react';
import type { Input, UserSummary } from '../../../../shared/contract';
import { USER_SORTS } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { useTeam } from '../team-store';
import { useDebounced } from './use-debounced';

type Sort = (typeof USER_SORTS)[number];

interface Page {
  key: string;
  users: UserSummary[];
  total: number;
  error: string | null;
}

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

/** One page of users.list: filtering, sorting and paging all happen in SQLite, never here. */
export function useMembers(): MembersPage {
  const { filters, sorting, pageIndex, pageSize } = useTeam();
  const query = useDebounced(filters.query.trim(), 250);
  const [revision, setRevision] = useState(0);
  const [page, setPage] = useState<Page | null>(null);

  const sort = sorting[0];
  const input: Input<'users.list'> = {
    ...(query ? { query } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.mfa ? { mfa: filters.mfa } : {}),
    ...(filters.roleId ? { roleId: filters.roleId } : {}),
    ...(sort && isSort(sort.id) ? { sort: sort.id, descending: sort.desc } : {}),
    offset: pageIndex * pageSize,
    limit: pageSize,
  };
  const filterKey = JSON.stringify({ ...input, offset: undefined, limit: undefined, sort: undefined, descending: undefined });
  // The request as a string: an effect keyed by it runs once per distinct request, whatever the render count.
  const request = JSON.stringify(input);
  const key = `${request}#${revision}`;

  useEffect(() => {
    let live = true;
    const asked = `${request}#${revision}`;
    void invoke('users.list', JSON.parse(request) as Input<'users.list'>).then((result) => {
      if (!live) return;
      setPage(result.ok ? { key: asked, ...result.value, error: null } : { key: asked, users: [], total: 0, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [request, revision]);

  return {
    users: page?.error ? [] : (page?.users ?? []),
    total: page?.total ?? 0,
    loading: page?.key !== key,
    initial: page === null,
    error: page?.error ?? null,
    filterKey,
    reload: () => setRevision((r) => r + 1),
  };
}
