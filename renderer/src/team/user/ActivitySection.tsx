import { useInfiniteQuery } from '@tanstack/react-query';
import { invoke } from '../../api/client';
import { OpError } from '../../data/query';
import { FormError } from '../../ui/FormError';
import { formatDateTime } from '../../ui/format';
import { describeEvent } from './audit-words';

const PAGE = 25;

/** Seed 000 "view activity": what this member did and what was done to them, newest first; any command refreshes it. */
export function ActivitySection({ userId }: { userId: string }) {
  const query = useInfiniteQuery({
    queryKey: ['audit.list', { memberId: userId, limit: PAGE, paged: true }],
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) => {
      const result = await invoke('audit.list', { memberId: userId, limit: PAGE, ...(pageParam ? { beforeSeq: pageParam } : {}) });
      if (!result.ok) throw new OpError(result.error);
      return result.value;
    },
    getNextPageParam: (last) => (last.events.length === PAGE ? last.events.at(-1)?.seq : undefined),
  });
  const pages = query.data?.pages;
  const loaded = pages
    ? { events: pages.flatMap((p) => p.events), total: pages[0]?.total ?? 0, error: query.error?.message ?? null, more: query.hasNextPage }
    : query.error
      ? { events: [], total: 0, error: query.error.message, more: false }
      : null;
  const loadingMore = query.isFetchingNextPage;
  const loadMore = () => void query.fetchNextPage();

  return (
    <section className="panel user-section" aria-labelledby="user-activity">
      <h2 id="user-activity">Activity</h2>
      {!loaded ? (
        <p className="loading">Loading activity…</p>
      ) : loaded.events.length === 0 && !loaded.error ? (
        <p className="empty-state">Nothing recorded for this member yet.</p>
      ) : (
        <>
          <ol className="activity-log" aria-label="Activity, newest first">
            {loaded.events.map((event) => (
              <li key={event.seq} className={event.outcome === 'denied' ? 'denied' : undefined}>
                <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at)}</time>
                <span>
                  {describeEvent(event)}
                  {event.outcome === 'denied' && (
                    <span className="tag denied-tag">refused{event.errorCode ? `: ${event.errorCode}` : ''}</span>
                  )}
                </span>
              </li>
            ))}
          </ol>
          <p className="muted">
            Showing {loaded.events.length.toLocaleString()} of {loaded.total.toLocaleString()}.
          </p>
        </>
      )}
      <FormError message={loaded?.error ?? null} />
      {loaded?.more && (
        <button type="button" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
