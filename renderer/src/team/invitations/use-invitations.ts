import type { InvitationStatus } from '../../../../shared/contract';
import { useOp } from '../../data/query';

/** invitations.list through the cache: sending, resending or revoking one refreshes it (shared/contract/invalidation.ts). */
export function useInvitations(status: InvitationStatus | '') {
  const query = useOp('invitations.list', status ? { status } : {}, { keepPrevious: true });
  return {
    invitations: query.data?.invitations ?? [],
    error: query.error?.message ?? null,
    initial: query.isPending,
    loading: query.isFetching,
    reload: () => void query.refetch(),
  };
}
