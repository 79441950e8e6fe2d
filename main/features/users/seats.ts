import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { OpError } from '../../dispatch/errors';
import { companyOf } from '../access/tree';

export interface SeatUse {
  companyId: string;
  companyName: string;
  limit: number | null;
  members: number;
  pending: number;
}

/**
 * Seed 000: each team member, and each pending invitation, counts as a seat of the
 * company (the nearest company at or above the group). Disabled accounts still hold
 * their seat; expired invitations do not.
 */
export function seatUse(db: Db, groupId: string, now: number): SeatUse | null {
  const company = companyOf(db, groupId);
  if (!company) return null;
  const limit =
    stmt<[string], { seat_limit: number | null }>(db, 'SELECT seat_limit FROM groups WHERE id = ?').get(company.id)?.seat_limit ?? null;
  const members =
    stmt<[string], { n: number }>(
      db,
      'SELECT count(*) AS n FROM users u JOIN group_closure c ON c.descendant = u.home_group_id WHERE c.ancestor = ?',
    ).get(company.id)?.n ?? 0;
  const pending =
    stmt<[string, number], { n: number }>(
      db,
      "SELECT count(*) AS n FROM invitations i JOIN group_closure c ON c.descendant = i.group_id WHERE c.ancestor = ? AND i.status = 'pending' AND i.expires_at > ?",
    ).get(company.id, now)?.n ?? 0;
  return { companyId: company.id, companyName: company.name, limit, members, pending };
}

/** Refuses when one more seat would exceed the limit; `alreadyCounted` is 1 when the seat is a pending invitation being accepted. */
export function requireSeat(db: Db, groupId: string, now: number, field: string, alreadyCounted = 0): void {
  const use = seatUse(db, groupId, now);
  if (!use || use.limit === null) return;
  const used = use.members + use.pending;
  if (used - alreadyCounted + 1 <= use.limit) return;
  throw new OpError(
    'CONFLICT',
    `${use.companyName} has no free seat: ${used} of ${use.limit} seats are used (${use.members} members, ${use.pending} pending invitations). The Owner can raise the limit in billing settings.`,
    { field },
  );
}
