import { isCompanyKind, type GroupKind } from '../../../shared/access/groups';
import type { GroupActions } from '../../../shared/contract';
import { missingPermissionText as needs } from '../state/missing-permission';

/**
 * Why a control is read-only, for its title. The server decides (GroupDetail's actions);
 * these name the permission that would unlock the control, in the console's one wording.
 */
export function missingPermissionText(action: keyof GroupActions, kind: GroupKind): string {
  const structure = isCompanyKind(kind) ? 'groups.manage' : 'locations.manage';
  const key = {
    edit: structure,
    rename: structure,
    createChild: structure,
    move: structure,
    remove: structure,
    editCompany: 'company.manage',
    editSeats: 'billing.manage',
  }[action];
  return `Read-only: ${needs(key, 'this group')}`;
}
