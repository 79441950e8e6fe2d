import { useCallback } from 'react';
import { useOp } from '../data/query';

/** One role with its holders and versions (roles.get); saving, reverting or binding it refreshes it. */
export function useRoleDetail(id: string) {
  const query = useOp('roles.get', { id });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { role: query.data ?? null, error: query.error?.message ?? null, reload };
}
