import { permission } from '../../../shared/access/catalog';
import { isCompanyKind, type GroupKind } from '../../../shared/access/groups';
import type { GroupActions } from '../../../shared/contract';

function needs(key: string): string {
  const def = permission(key);
  return def ? `“${def.label}” (${key})` : key;
}

/**
 * Why a control is read-only, for its title. The server decides; these name the
 * permission that would unlock the control so the person knows whom to ask.
 */
export function missingPermissionText(action: keyof GroupActions, kind: GroupKind): string {
  const structure = isCompanyKind(kind) ? 'groups.manage' : 'locations.manage';
  const key = {
    edit: structure,
    createChild: structure,
    move: structure,
    remove: structure,
    editCompany: 'company.manage',
    editSeats: 'billing.manage',
  }[action];
  return `Read-only: this needs ${needs(key)} at this group, which your roles do not grant.`;
}
