import { useCallback, useEffect, useState } from 'react';
import type { RoleDetail } from '../../../shared/contract';
import { invoke } from '../api/client';

/** One role with its holders and versions (roles.get), fetched again on reload. */
export function useRoleDetail(id: string) {
  const [role, setRole] = useState<RoleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    void invoke('roles.get', { id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setRole(result.value);
        setError(null);
      } else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [id, revision]);

  const reload = useCallback(() => setRevision((r) => r + 1), []);
  return { role, error, reload };
}
