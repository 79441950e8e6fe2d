import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract';
import { invoke } from '../../api/client';
import { FormError } from '../../ui/FormError';
import { formatDateTime } from '../format';
import { describeEvent } from './audit-words';

const PAGE = 25;

interface Loaded {
  events: AuditEntry[];
  total: number;
  error: string | null;
  more: boolean;
}

/** Seed 000 "view activity": what this member did and what was done to them, newest first. */
export function ActivitySection({ userId, revision }: { userId: string; revision: number }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let live = true;
    void invoke('audit.list', { memberId: userId, limit: PAGE }).then((result) => {
      if (!live) return;
      setLoaded(
        result.ok
          ? { events: result.value.events, total: result.value.total, error: null, more: result.value.events.length === PAGE }
          : { events: [], total: 0, error: result.error.message, more: false },
      );
    });
    return () => {
      live = false;
    };
  }, [userId, revision]);

  function loadMore() {
    const oldest = loaded?.events.at(-1)?.seq;
    if (!loaded || oldest === undefined) return;
    setLoadingMore(true);
    void invoke('audit.list', { memberId: userId, limit: PAGE, beforeSeq: oldest }).then((result) => {
      setLoadingMore(false);
      setLoaded((l) =>
        !l
          ? l
          : result.ok
            ? { ...l, events: [...l.events, ...result.value.events], more: result.value.events.length === PAGE, error: null }
            : { ...l, error: result.error.message },
      );
    });
  }

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
