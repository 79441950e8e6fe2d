import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry, AuditFilter } from '../../../shared/contract';
import { invoke } from '../api/client';

export const AUDIT_PAGE = 100;

export interface AuditPages {
  /** What was asked for: the filter these events answer, and the same one an export takes. */
  key: string;
  filter: AuditFilter;
  events: AuditEntry[];
  /** Counted by the server for the whole filter (not only the pages loaded); capped. */
  total: number;
  totalCapped: boolean;
  more: boolean;
  error: string | null;
}

/**
 * Newest first, a page at a time: the next page starts below the oldest event shown
 * (beforeSeq), so new events written meanwhile never shift or repeat rows.
 */
export function useAuditEvents(filter: AuditFilter | null, revision: number) {
  const key = filter ? `${JSON.stringify(filter)}#${revision}` : '';
  const [pages, setPages] = useState<AuditPages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const inFlight = useRef<string | null>(null);

  useEffect(() => {
    if (!filter) return;
    let live = true;
    const asked = key;
    void invoke('audit.list', { ...filter, limit: AUDIT_PAGE }).then((result) => {
      if (!live) return;
      inFlight.current = null;
      setMoreError(null);
      setLoadingMore(false);
      setPages(
        result.ok
          ? {
              key: asked,
              filter,
              events: result.value.events,
              total: result.value.total,
              totalCapped: result.value.totalCapped,
              more: result.value.events.length === AUDIT_PAGE,
              error: null,
            }
          : { key: asked, filter, events: [], total: 0, totalCapped: false, more: false, error: result.error.message },
      );
    });
    return () => {
      live = false;
    };
    // The key stands for the filter's contents: a new object with the same filter is the same question.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const loadMore = useCallback(() => {
    if (!pages || !pages.more || pages.key !== key) return;
    const oldest = pages.events.at(-1)?.seq;
    if (oldest === undefined || inFlight.current === `${pages.key}@${oldest}`) return;
    const ticket = `${pages.key}@${oldest}`;
    inFlight.current = ticket;
    setLoadingMore(true);
    setMoreError(null);
    void invoke('audit.list', { ...pages.filter, limit: AUDIT_PAGE, beforeSeq: oldest }).then((result) => {
      if (inFlight.current !== ticket) return;
      inFlight.current = null;
      setLoadingMore(false);
      if (!result.ok) {
        setMoreError(result.error.message);
        return;
      }
      setPages((p) =>
        p && p.key === pages.key
          ? { ...p, events: [...p.events, ...result.value.events], more: result.value.events.length === AUDIT_PAGE }
          : p,
      );
    });
  }, [pages, key]);

  return {
    pages,
    /** True while the list shown answers an older filter than the one set. */
    stale: pages === null || pages.key !== key,
    loadingMore,
    moreError,
    loadMore,
  };
}
