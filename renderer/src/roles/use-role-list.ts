import { useCallback } from 'react';
import type { RoleListItem } from '../../../shared/contract';
import { useOp } from '../data/query';

export interface RoleList {
  roles: RoleListItem[] | null;
  error: string | null;
  reload(): void;
}

/** The roles the caller may see, each with how many people (visible to the caller) hold it; role commands refresh it. */
export function useRoleList(): RoleList {
  const query = useOp('roles.list', {});
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { roles: query.data?.roles ?? null, error: query.error?.message ?? null, reload };
}
