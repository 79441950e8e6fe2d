import { AUDIT_QUERIES, INVALIDATES } from '../../../shared/contract/invalidation';
import { queryClient } from './query-client';

type Refresher = () => void;
const refreshers = new Map<string, Set<Refresher>>();

/**
 * A store that still holds an answer outside the cache (the customer tree, the person's
 * own access) is told when a command changed that answer, by the same map.
 */
export function onInvalidated(query: string, refresh: Refresher): () => void {
  const set = refreshers.get(query) ?? new Set();
  set.add(refresh);
  refreshers.set(query, set);
  return () => set.delete(refresh);
}

/** After a command succeeded: every answer it is declared to change is fetched again where shown (shared/contract/invalidation.ts). */
export function commandSucceeded(name: string): void {
  const declared = INVALIDATES[name];
  if (declared === undefined) return;
  if (declared === 'session') {
    queryClient.clear();
    return;
  }
  refreshAnswers([...declared, ...AUDIT_QUERIES]);
}

/** After the hub's changes reached this replica: any answer may be stale, so every shown one is fetched again. */
export function refreshEverything(): void {
  void queryClient.invalidateQueries();
  for (const set of refreshers.values()) for (const refresh of set) refresh();
}

/** Fetches these queries' answers again wherever they are shown (a Refresh button: others may have changed them). */
export function refreshAnswers(queries: readonly string[]): void {
  for (const query of new Set(queries)) {
    void queryClient.invalidateQueries({ queryKey: [query] });
    for (const refresh of refreshers.get(query) ?? []) refresh();
  }
}
