import { escalationGaps } from '../../../shared/access/escalation';
import { ownerBindings } from '../../../shared/access/owner';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { bindingsOf } from '../access/access';
import { allRoles } from '../access/roles-cache';
import { companyOf, groupPath } from '../access/tree';
import { checkGrant } from '../users/grants';
import { companyOwner, requireCompanyOwner } from '../users/guards';

/**
 * Whether `userId` may issue this invitation now (R6): an active person who could create it
 * this moment. An ordinary role: the grant rule (R5) with users.create, and the company
 * must already have its Owner (R11). An Owner role (R9): the company must still have no
 * Owner, and the person must hold every key of that role at the company, as an Owner of a
 * company above does. Throws OpError naming `field`.
 */
export function requireMayInvite(
  db: Db,
  userId: string,
  invitation: { email: string; roleId: string; groupId: string; kind: 'member' | 'external' },
  field: string,
): void {
  const status = stmt<[string], { status: string }>(db, 'SELECT status FROM users WHERE id = ?').get(userId)?.status;
  if (status !== 'active') throw new OpError('FORBIDDEN', 'The person who sent it is no longer active', { field: field || 'roleId' });
  const role = allRoles(db).get(invitation.roleId);
  if (role?.meaning !== 'owner') {
    // `field` '' names the input's own roleId and groupId (create); else the whole refusal is about `field` (resend, accept).
    try {
      checkGrant(db, userId, { name: invitation.email, homeGroupId: invitation.groupId }, invitation, 'grant', '', 'users.create');
    } catch (error) {
      if (error instanceof OpError && field) throw new OpError(error.code, error.message, { ...error.extra, field });
      throw error;
    }
    requireCompanyOwner(db, invitation.groupId, field || 'groupId');
    return;
  }
  // R14: an external (delegated) user never becomes Owner.
  if (invitation.kind === 'external')
    throw new OpError('VALIDATION', 'An Owner cannot be an external (delegated) user', { field: field || 'kind' });
  const company = companyOf(db, invitation.groupId);
  const path = groupPath(db, invitation.groupId);
  if (!company || company.id !== invitation.groupId || !path)
    throw new OpError('CONFLICT', 'An Owner invitation is for a company as a whole', { field: field || 'roleId' });
  if (companyOwner(db, company.id))
    throw new OpError('CONFLICT', `“${company.name}” already has its Owner; ownership now changes only by transfer`, {
      field: field || 'roleId',
    });
  const actor = bindingsOf(db, userId);
  const aboveOwner = ownerBindings(actor).some((b) => b.groupId !== company.id && path.ids.includes(b.groupId));
  if (!aboveOwner || escalationGaps(actor, role, { path: path.ids }).length > 0)
    throw new OpError('FORBIDDEN', `Only an Owner of a company above “${company.name}” may invite its Owner`, { field: field || 'roleId' });
}
