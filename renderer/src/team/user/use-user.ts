import { useOp } from '../../data/query';

/** One member's record with what the caller may do to them (`can`); a command that changes people refreshes it. */
export function useUser(id: string) {
  const query = useOp('users.get', { id });
  return {
    user: query.data ?? null,
    error: query.error?.message ?? null,
    loading: query.isFetching,
    reload: () => void query.refetch(),
  };
}
