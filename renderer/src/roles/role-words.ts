import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { RoleSummary } from '../../../shared/contract';
import type { TreeModel } from '../state/tree-model';

export const VISIBILITY_LABELS: Record<DeviceVisibility, string> = {
  scope: 'Every device in scope',
  assigned: 'Only devices assigned to them',
};

/** What the chosen visibility means, for the hint under the choice (it describes the option selected, never the other). */
export const VISIBILITY_HINTS: Record<DeviceVisibility, string> = {
  scope: 'Holders see every device in the groups where they hold the role, assigned to them or not (as Owners and Admins do).',
  assigned: 'Holders see only the devices assigned to them (as Operators and Viewers do).',
};

/** Where a role may be bound: any group, or only groups of one kind (the select's empty value is "any"). */
export const SCOPE_KIND_LABELS: Record<'' | 'location' | 'department', string> = {
  '': 'At any group',
  location: 'Only at locations',
  department: 'Only at departments',
};

/** Where a role can be used: built-in roles everywhere, a custom role in its owner group's subtree. */
export function ownerText(role: Pick<RoleSummary, 'builtin' | 'ownerGroupId'>, model: TreeModel | null): string {
  if (role.builtin || !role.ownerGroupId) return 'Built-in, usable everywhere';
  return model?.nodes.get(role.ownerGroupId)?.group.name ?? 'A group outside your view';
}
