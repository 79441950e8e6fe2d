import { useEffect, useState } from 'react';
import type { UserSummary } from '../../../shared/contract';
import { invoke } from '../api/client';

interface Found {
  /** The question answered: the query and the group, so that a new group reads as busy until answered. */
  query: string;
  users: UserSummary[];
  total: number;
  error: string | null;
}

const LIMIT = 20;
const DEBOUNCE_MS = 200;

export interface UserSearch {
  users: UserSummary[];
  /** Under the list: the server's error, or how many more there are to narrow down. */
  note: string | null;
  /** True until the answer for the current query is in. */
  busy: boolean;
}

/**
 * Searches users.list as the person types; the server answers only with users the caller may see.
 * `groupId` narrows it to people homed in that group or below it.
 */
export function useUserSearch(query: string, onlyActive = false, groupId: string | null = null): UserSearch {
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    let live = true;
    const timer = window.setTimeout(() => {
      const trimmed = query.trim();
      const input = {
        ...(trimmed ? { query: trimmed } : {}),
        ...(onlyActive ? { statuses: ['active' as const] } : {}),
        ...(groupId ? { groupId } : {}),
        limit: LIMIT,
      };
      void invoke('users.list', input).then((result) => {
        if (!live) return;
        const asked = `${groupId ?? ''}\n${query}`;
        setFound(
          result.ok ? { query: asked, ...result.value, error: null } : { query: asked, users: [], total: 0, error: result.error.message },
        );
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query, onlyActive, groupId]);

  const users = found?.users ?? [];
  const more =
    found && found.total > users.length ? `Showing ${users.length} of ${found.total.toLocaleString()}. Type more to narrow.` : null;
  return { users, note: found?.error ?? more, busy: found === null || found.query !== `${groupId ?? ''}\n${query}` };
}
