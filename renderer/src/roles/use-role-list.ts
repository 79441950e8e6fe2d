import { useCallback, useEffect, useState } from 'react';
import type { RoleListItem } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useRoles } from '../team/roles-store';

export interface RoleList {
  roles: RoleListItem[] | null;
  error: string | null;
  reload(): void;
}

/**
 * The roles the caller may see, each with how many people (visible to the caller) hold it.
 * The shared roles store (used by every role picker) is refreshed too, so a new role is
 * offered on the team screens.
 */
export function useRoleList(): RoleList {
  const [roles, setRoles] = useState<RoleListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    void invoke('roles.list', {}).then((listed) => {
      if (!live) return;
      if (!listed.ok) {
        setError(listed.error.message);
        return;
      }
      useRoles.setState({ roles: listed.value.roles, error: null });
      setError(null);
      setRoles(listed.value.roles);
    });
    return () => {
      live = false;
    };
  }, [revision]);

  const reload = useCallback(() => setRevision((r) => r + 1), []);
  return { roles, error, reload };
}
