import { useCallback, useEffect, useState } from 'react';
import type { RoleDetail, RoleSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useRoles } from '../team/roles-store';

export interface RoleList {
  roles: RoleSummary[] | null;
  /** Holders per role id, when roles.get answered for it. */
  holders: ReadonlyMap<string, number>;
  error: string | null;
  reload(): void;
}

/**
 * The roles the caller may see, with how many people hold each. The shared roles store
 * (used by every role picker) is refreshed too, so a new role is offered on the team screens.
 */
export function useRoleList(): RoleList {
  const [roles, setRoles] = useState<RoleSummary[] | null>(null);
  const [holders, setHolders] = useState<ReadonlyMap<string, number>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    void (async () => {
      const listed = await invoke('roles.list', {});
      if (!live) return;
      if (!listed.ok) {
        setError(listed.error.message);
        return;
      }
      useRoles.setState({ roles: listed.value.roles, error: null });
      setError(null);
      setRoles(listed.value.roles);
      const details = await Promise.all(listed.value.roles.map((r) => invoke('roles.get', { id: r.id })));
      if (!live) return;
      const counts = new Map<string, number>();
      for (const result of details) if (result.ok) counts.set(result.value.id, distinctHolders(result.value));
      setHolders(counts);
    })();
    return () => {
      live = false;
    };
  }, [revision]);

  const reload = useCallback(() => setRevision((r) => r + 1), []);
  return { roles, holders, error, reload };
}

/** People, not bindings: a Location Administrator holding the role at three locations is one holder. */
export function distinctHolders(role: Pick<RoleDetail, 'holders'>): number {
  return new Set(role.holders.map((h) => h.userId)).size;
}
