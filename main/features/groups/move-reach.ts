import { isCompanyKind, KIND_LABELS, type GroupKind } from '../../../shared/access/groups';
import type { Db } from '../../db/connection';
import { OpError } from '../../dispatch/errors';
import { check, resolveTarget } from '../access/access';
import { newReachGaps } from '../access/reach';
import { companyOf, findGroup, groupPath } from '../access/tree';

const SHOWN = 5;

/**
 * A location or department belongs to its customer: its people are the customer's
 * people and its devices the customer's devices, so it never moves to another company
 * (the nesting rules alone would let it; they know kinds, not companies).
 * Throws CONFLICT on `parentId`.
 */
export function requireSameCompany(db: Db, group: { name: string; kind: GroupKind; parentId: string }, newParentId: string): void {
  if (isCompanyKind(group.kind)) return;
  const from = companyOf(db, group.parentId);
  const to = companyOf(db, newParentId);
  if (!from || !to || from.id === to.id) return;
  throw new OpError(
    'CONFLICT',
    `“${group.name}” is a ${KIND_LABELS[group.kind].toLowerCase()} of “${from.name}”: its people and devices belong to that company, so it cannot move into “${to.name}”. Move it within “${from.name}”, or create it in “${to.name}” and move the devices there.`,
    { field: 'parentId' },
  );
}

/**
 * R8 for a move: everyone bound above the new parent, but not above the old
 * one, gains the moved subtree's people and devices. The mover must already hold over the
 * moved group, where it is now, every permission those bindings grant (device visibility
 * included, as escalationGaps judges a grant), or nobody could have granted that reach. Refuses
 * with FORBIDDEN on `parentId`, naming the bindings whose holders the mover may see
 * (users.view) and counting the rest.
 */
export function requireReachGrantable(
  db: Db,
  moverId: string,
  group: { id: string; name: string; parentId: string },
  newParentId: string,
): void {
  const oldPath = groupPath(db, group.parentId)?.ids ?? [];
  const newParentPath = groupPath(db, newParentId)?.ids ?? [];
  // What the mover holds over the group is judged where it is now: a binding that reaches it only after the move vouches for nothing.
  const refused = newReachGaps(
    db,
    moverId,
    newParentPath.filter((id) => !oldPath.includes(id)),
    [group.id, ...newParentPath],
    [group.id, ...oldPath],
  );
  if (refused.length === 0) return;
  const named = refused
    .filter((r) => {
      const holder = resolveTarget(db, 'user', r.userId, moverId);
      return holder !== undefined && check(db, moverId, 'users.view', holder).allowed;
    })
    .slice(0, SHOWN);
  const words = named.map((r) => {
    const holder = resolveTarget(db, 'user', r.userId, moverId)?.name ?? r.userId;
    const keys = r.missing.slice(0, 3).join(', ') + (r.missing.length > 3 ? ` and ${r.missing.length - 3} more` : '');
    return `${holder} (${r.roleName} at “${findGroup(db, r.groupId)?.name ?? ''}”: ${keys})`;
  });
  const rest = refused.length - named.length;
  const others = rest > 0 ? `${rest} ${named.length > 0 ? 'more ' : ''}binding${rest === 1 ? '' : 's'} held by people you may not see` : '';
  const list = [...words, others].filter((w) => w !== '').join('; ');
  const newParent = findGroup(db, newParentId)?.name ?? '';
  throw new OpError(
    'FORBIDDEN',
    `Moving “${group.name}” under “${newParent}” would give ${refused.length} binding${refused.length === 1 ? '' : 's'} there reach over its people and devices with permissions you do not hold there yourself: ${list}. Someone who holds them above “${newParent}” can make this move.`,
    { field: 'parentId' },
  );
}
