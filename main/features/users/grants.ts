import { escalationGaps } from '../../../shared/access/escalation';
import { isCompanyKind } from '../../../shared/access/groups';
import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import { bindingsOf, requirePermission } from '../access/access';
import { allRoles } from '../access/roles-cache';
import { companyOf, findGroup, groupPath, isInSubtree } from '../access/tree';

export interface BindingInput {
  roleId: string;
  groupId: string;
}

export interface Grantee {
  name: string;
  homeGroupId: string;
}

/**
 * The one check every path that hands out (or takes away) a role goes through: user
 * binding, account creation, invitation and its acceptance. The role must exist and be
 * usable at the group, the group must sit inside the grantee's company, the actor must be
 * allowed to edit users there, and the actor must hold every permission of the role there
 * (R5). Owner changes hands only by ownership transfer.
 */
export function checkGrant(
  db: Db,
  actorId: string,
  grantee: Grantee,
  binding: BindingInput,
  verb: 'grant' | 'take away',
  field: string,
  permission = 'users.edit',
): void {
  // Fields are named as the input names them: `bindings.0.roleId`, or `roleId` when the binding is the input itself;
  // a binding taken away is in no item of the input, so its refusal names the whole list (`bindings`).
  const at = (name: 'roleId' | 'groupId') => (field === '' ? name : /\.\d+$/.test(field) ? `${field}.${name}` : field);
  const role = allRoles(db).get(binding.roleId);
  const group = findGroup(db, binding.groupId);
  const path = group ? groupPath(db, group.id) : undefined;
  if (!group || !path) throw new OpError('NOT_FOUND', `There is no group with id ${binding.groupId}`, { field: at('groupId') });
  // A role of another part of the tree is not usable here, and its name is not said (R13).
  if (!role || (role.ownerGroupId && !isInSubtree(db, role.ownerGroupId, group.id)))
    throw new OpError('NOT_FOUND', `No role with id ${binding.roleId} can be used at that group`, { field: at('roleId') });
  if (role.meaning === 'owner')
    throw new OpError('FORBIDDEN', 'An Owner role changes hands only by ownership transfer or assignment', { field: at('roleId') });
  // Seed 003's location roles and seed 004's Group Supervisor sit only at their kind of group.
  if (verb === 'grant' && role.scopeKind && group.kind !== role.scopeKind) {
    throw new OpError(
      'VALIDATION',
      `${role.name} must be bound to a ${role.scopeKind}; “${group.name}” is a ${group.kind.replace('_', '-')}`,
      {
        field: at('groupId'),
      },
    );
  }
  const company = companyOf(db, grantee.homeGroupId);
  if (company && !isInSubtree(db, company.id, group.id)) {
    throw new OpError('CONFLICT', `${grantee.name} belongs to “${company.name}”; their roles must sit inside it`, {
      field: at('groupId'),
    });
  }
  try {
    requirePermission(db, actorId, permission, 'group', group.id);
  } catch (error) {
    if (error instanceof OpError) throw new OpError(error.code, error.message, { ...error.extra, field: at('groupId') });
    throw error;
  }
  const gaps = escalationGaps(bindingsOf(db, actorId), role, { path: path.ids });
  if (gaps.length > 0) {
    throw new OpError(
      'FORBIDDEN',
      `You cannot ${verb} “${role.name}” at “${group.name}”: you do not hold ${gaps.join(', ')} there yourself`,
      {
        field: at('roleId'),
      },
    );
  }
  if (verb === 'grant' && role.meaning === 'admin' && !isCompanyKind(group.kind)) {
    throw new OpError('CONFLICT', 'Admin is held at a company, not at a location or department', { field: at('groupId') });
  }
}
