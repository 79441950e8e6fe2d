import { useEffect, useState } from 'react';
import type { InvitationStatus, InvitationSummary } from '../../../../shared/contract';
import { invoke } from '../../api/client';

interface Loaded {
  key: string;
  invitations: InvitationSummary[];
  error: string | null;
}

export function useInvitations(status: InvitationStatus | '', outside: number) {
  const [revision, setRevision] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${status}#${revision}#${outside}`;

  useEffect(() => {
    let live = true;
    const asked = `${status}#${revision}#${outside}`;
    void invoke('invitations.list', status ? { status } : {}).then((result) => {
      if (!live) return;
      setLoaded(
        result.ok
          ? { key: asked, invitations: result.value.invitations, error: null }
          : { key: asked, invitations: [], error: result.error.message },
      );
    });
    return () => {
      live = false;
    };
  }, [status, revision, outside]);

  return {
    invitations: loaded?.invitations ?? [],
    error: loaded?.error ?? null,
    initial: loaded === null,
    loading: loaded?.key !== key,
    reload: () => setRevision((r) => r + 1),
  };
}
