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
 * seatUse for several companies at once, in their order (the dashboard's seats, R33): the
 * members homed in each company's subtree from their tally (migration 37), and the pending
 * invitations counted per group, then summed over each company's subtree.
 * `seat_limit` and `members` (the tally's count) may come with the company, read with it in
 * one pass over the groups; otherwise they are read here by id.
 */
export function seatUses(
  db: Db,
  companies: ReadonlyArray<{ id: string; name: string; seat_limit?: number | null; members?: number | null }>,
  now: number,
): SeatUse[] {
  if (companies.length === 0) return [];
  const ids = JSON.stringify(companies.map((c) => c.id));
  const byCompany = (rows: Array<{ id: string; n: number }>) => new Map(rows.map((r) => [r.id, r.n]));
  const readById = (sql: string, wanted: readonly string[]) =>
    wanted.length === 0
      ? new Map<string, number | null>()
      : new Map(
          stmt<[string], { id: string; n: number | null }>(db, sql)
            .all(JSON.stringify(wanted))
            .map((r) => [r.id, r.n]),
        );
  const limits = readById(
    'SELECT id, seat_limit AS n FROM groups WHERE id IN (SELECT value FROM json_each(?))',
    companies.filter((c) => c.seat_limit === undefined).map((c) => c.id),
  );
  // Each company's people over its subtree, kept by triggers (migration 37): one row per company.
  const members = readById(
    'SELECT group_id AS id, n FROM group_member_tally WHERE group_id IN (SELECT value FROM json_each(?))',
    companies.filter((c) => c.members === undefined).map((c) => c.id),
  );
  // Driven from the pending invitations (few) up their ancestors, not down every company's subtree (10,000 groups under the root at 1M devices).
  const pending = byCompany(
    stmt<[number, string], { id: string; n: number }>(
      db,
      `SELECT c.ancestor AS id, sum(h.n) AS n FROM (SELECT group_id AS g, count(*) AS n FROM invitations
       WHERE status = 'pending' AND expires_at > ? GROUP BY 1) h
       CROSS JOIN group_closure c ON c.descendant = h.g WHERE +c.ancestor IN (SELECT value FROM json_each(?)) GROUP BY c.ancestor`,
    ).all(now, ids),
  );
  return companies.map((c) => ({
    companyId: c.id,
    companyName: c.name,
    limit: (c.seat_limit === undefined ? limits.get(c.id) : c.seat_limit) ?? null,
    members: (c.members === undefined ? members.get(c.id) : c.members) ?? 0,
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
