import { useOp } from '../data/query';

/**
 * groups.get for the selected group through the cache: a command that changes groups
 * refreshes it (shared/contract/invalidation.ts). While another group loads, the previous
 * answer stays on screen (inert), so the panel does not jump.
 */
export function useGroupDetail(id: string | null) {
  const query = useOp('groups.get', id ? { id } : null, { keepPrevious: true });
  const current = query.data && !query.isPlaceholderData && query.data.id === id ? query.data : null;
  return {
    detail: current,
    /** The group shown before, kept on screen (inert) while the next one loads. */
    previous: current === null && query.isPlaceholderData ? (query.data ?? null) : null,
    error: query.isPlaceholderData ? null : (query.error?.error ?? null),
    loading: id !== null && query.isFetching,
    /** Changes whenever a new answer arrives: forms key on it to start again from the saved values. */
    version: current ? `${current.id}:${query.dataUpdatedAt}` : '',
    reload: () => void query.refetch(),
  };
}
