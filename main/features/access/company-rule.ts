import { isCompanyKind } from '../../../shared/access/groups';
import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import type { AccessRule } from '../../dispatch/registry';
import { findGroup, type GroupNode } from './tree';

/** The rule of an operation on a company's own settings (`input.companyId`): every key in `keys`, at that company (R2, R12). */
export function atCompany(keys: readonly string[]): Extract<AccessRule<{ companyId: string }>, { kind: 'scoped' }> {
  return {
    kind: 'scoped',
    keys,
    needs: (input) => keys.map((permission) => ({ permission, on: { type: 'group' as const, id: input.companyId, field: 'companyId' } })),
  };
}

/** The company `companyId` names; NOT_FOUND when there is none, VALIDATION naming `what` when it is a location or department. */
export function requireCompany(db: Db, companyId: string, what: string): GroupNode {
  const group = findGroup(db, companyId);
  if (!group) throw new OpError('NOT_FOUND', `No group with id ${companyId} exists, or you may not see it`, { field: 'companyId' });
  if (!isCompanyKind(group.kind))
    throw new OpError('VALIDATION', `“${group.name}” is a ${group.kind}; ${what} is set for a company`, { field: 'companyId' });
  return group;
}
