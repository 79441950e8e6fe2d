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
  return seatUses(db, [company], now)[0] ?? null;
}

/**
 * seatUse for several companies at once, in their order (the dashboard's seats, R33): one
 * grouped count of members and one of pending invitations over the companies' subtrees.
 */
export function seatUses(db: Db, companies: ReadonlyArray<{ id: string; name: string }>, now: number): SeatUse[] {
  if (companies.length === 0) return [];
  const ids = JSON.stringify(companies.map((c) => c.id));
  const byCompany = (rows: Array<{ id: string; n: number }>) => new Map(rows.map((r) => [r.id, r.n]));
  const limits = new Map(
    stmt<[string], { id: string; seat_limit: number | null }>(
      db,
      'SELECT id, seat_limit FROM groups WHERE id IN (SELECT value FROM json_each(?))',
    )
      .all(ids)
      .map((r) => [r.id, r.seat_limit]),
  );
  const members = byCompany(
    stmt<[string], { id: string; n: number }>(
      db,
      `SELECT c.ancestor AS id, count(*) AS n FROM users u JOIN group_closure c ON c.descendant = u.home_group_id
       WHERE c.ancestor IN (SELECT value FROM json_each(?)) GROUP BY c.ancestor`,
    ).all(ids),
  );
  const pending = byCompany(
    stmt<[string, number], { id: string; n: number }>(
      db,
      `SELECT c.ancestor AS id, count(*) AS n FROM invitations i JOIN group_closure c ON c.descendant = i.group_id
       WHERE c.ancestor IN (SELECT value FROM json_each(?)) AND i.status = 'pending' AND i.expires_at > ? GROUP BY c.ancestor`,
    ).all(ids, now),
  );
  return companies.map((c) => ({
    companyId: c.id,
    companyName: c.name,
    limit: limits.get(c.id) ?? null,
    members: members.get(c.id) ?? 0,
    pending: pending.get(c.id) ?? 0,
  }));
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
