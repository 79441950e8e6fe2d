import type { RoleSummary } from '../../../shared/contract';
import { placeOf } from '../state/missing-permission';
import { useMyAccess } from '../state/my-access';
import { useGroups } from '../state/groups-store';
import { roleGuard, type RoleGuard } from './role-guard';

/** The guard for the role being edited, from the editor's own bindings and the tree they see. */
export function useRoleGuard(role: Pick<RoleSummary, 'builtin' | 'ownerGroupId'>): RoleGuard {
  const access = useMyAccess((s) => s.access);
  const model = useGroups((s) => s.model);
  const place = role.ownerGroupId && access ? placeOf(role.ownerGroupId, access, model) : null;
  return roleGuard(role, access, place);
}
