import { QueryClient } from '@tanstack/react-query';
import { useSession } from '../state/session';

/**
 * The renderer's one cache of answers, keyed by operation and input (see data/query.ts).
 * Answers stay fresh until a command that changes them succeeds (api/client.ts invalidates
 * them from shared/contract/invalidation.ts); a refused call is an answer too, so no retries.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
  },
});

// Another person on this console must never see the last one's answers.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) queryClient.clear();
});
