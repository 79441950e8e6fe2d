import { useEffect, useState } from 'react';
import type { GroupDetail } from '../../../shared/contract';
import type { ApiError } from '../../../shared/result';
import { invoke } from '../api/client';

interface Loaded {
  id: string;
  revision: number;
  detail: GroupDetail | null;
  error: ApiError | null;
}

/**
 * groups.get for the selected group, again whenever `revision` moves. While the same
 * group is fetched again the previous answer stays on screen, so saving does not blank
 * the panel.
 */
export function useGroupDetail(id: string | null, revision: number) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    void invoke('groups.get', { id }).then((result) => {
      if (!live) return;
      setLoaded(result.ok ? { id, revision, detail: result.value, error: null } : { id, revision, detail: null, error: result.error });
    });
    return () => {
      live = false;
    };
  }, [id, revision]);

  const current = loaded && loaded.id === id ? loaded : null;
  return {
    detail: current?.detail ?? null,
    /** The group shown before, kept on screen (inert) while the next one loads, so the panel does not jump. */
    previous: current === null ? (loaded?.detail ?? null) : null,
    error: current?.error ?? null,
    loading: id !== null && (current === null || current.revision !== revision),
    /** Changes whenever a new answer arrives: forms key on it to start again from the saved values. */
    version: current ? `${current.id}:${current.revision}` : '',
  };
}
