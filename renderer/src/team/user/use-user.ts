import { useEffect, useState } from 'react';
import type { UserDetail } from '../../../../shared/contract';
import { invoke } from '../../api/client';

interface Loaded {
  key: string;
  user: UserDetail | null;
  error: string | null;
}

/** One member's record with what the caller may do to them (`can`), fetched again after every change. */
export function useUser(id: string) {
  const [revision, setRevision] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${id}#${revision}`;

  useEffect(() => {
    let live = true;
    const asked = `${id}#${revision}`;
    void invoke('users.get', { id }).then((result) => {
      if (!live) return;
      setLoaded(result.ok ? { key: asked, user: result.value, error: null } : { key: asked, user: null, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [id, revision]);

  // While reloading after a change, the previous record of the same member stays on screen.
  const sameMember = loaded?.key.startsWith(`${id}#`) ?? false;
  return {
    user: sameMember ? (loaded?.user ?? null) : null,
    error: sameMember && loaded?.key === key ? loaded.error : null,
    loading: loaded?.key !== key,
    reload: () => setRevision((r) => r + 1),
  };
}
