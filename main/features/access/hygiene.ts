import { DORMANT_DAYS, type HygieneItem, type HygieneReport, type HygieneSection } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { check, HOME_GROUP_KIND, INVITATION_GROUP_KIND, resolveTarget, scopeCondition } from './access';
import { visibleUnassigned } from '../devices/aggregates';
import { deviceWhere } from '../devices/query';
import { allRoles } from './roles-cache';

const SHOWN = 50;

/** Keys the hygiene sections filter by, for the catalog-coverage test. */
export const HYGIENE_READ_KEYS = ['users.view', 'devices.view', 'roles.view'] as const;

/** A section's total and its first `shown` items in `order`; the total is counted unsorted (sorting 100,000 rows to count them cost a second). */
function sectionOf(db: Db, sql: string, order: string, params: Record<string, string | number>, shown: number): HygieneSection {
  const total = stmt<Record<string, string | number>, { n: number }>(db, `SELECT count(*) AS n FROM (${sql})`).get(params)?.n ?? 0;
  const items =
    shown > 0 ? stmt<Record<string, string | number>, HygieneItem>(db, `${sql} ORDER BY ${order} LIMIT ${shown}`).all(params) : [];
  return { total, items };
}

/**
 * What an admin should look at, each list filtered by the same rule as every other list (the
 * Access hygiene screen and the dashboard's access tiles, R33). `shown` items per section
 * (0: totals only). `now` is epoch ms.
 */
export function hygieneReport(db: Db, actorId: string, now: number, shown = SHOWN): HygieneReport {
  const section = (sql: string, order: string, params: Record<string, string | number>) => sectionOf(db, sql, order, params, shown);
  const users = scopeCondition(db, actorId, 'users.view', { group: 'u.home_group_id', kind: HOME_GROUP_KIND, user: 'u.id' }, 'u');
  const invites = scopeCondition(db, actorId, 'users.view', { group: 'i.group_id', kind: INVITATION_GROUP_KIND }, 'i');
  // The devices list's own WHERE (devices.view, unassigned): the dashboard's tile opens that list, and must count the same (R33).
  const devices = deviceWhere(db, actorId, { assignment: 'unassigned' });
  // No join to groups: a section's count reads no group (a lookup per person), and its shown items name theirs by id.
  const fromUsers = 'FROM users u';
  const homeName = '(SELECT hg.name FROM groups hg WHERE hg.id = u.home_group_id)';
  const inviteName = '(SELECT g.name FROM groups g WHERE g.id = i.group_id)';
  const dormantBefore = now - DORMANT_DAYS * 86_400_000;
  const unused = [...allRoles(db).values()].filter((role) => {
    if (role.builtin) return false;
    const target = resolveTarget(db, 'role', role.id, actorId);
    return (
      target !== undefined &&
      check(db, actorId, 'roles.view', target).allowed &&
      !stmt(db, 'SELECT 1 FROM role_bindings WHERE role_id = ?').get(role.id)
    );
  });
  return {
    usersWithoutMfa: section(
      `SELECT u.id, u.username AS name, CASE WHEN u.mfa_enrolled_at IS NULL THEN 'never enrolled' ELSE 'reset, not enrolled again' END || ' · ' || ${homeName} AS detail
       ${fromUsers} WHERE u.totp_secret IS NULL AND u.status = 'active' AND ${users.sql}`,
      'u.username',
      users.params,
    ),
    pendingInvitations: section(
      `SELECT i.id, i.email AS name, 'expires ' || strftime('%Y-%m-%d %H:%M', i.expires_at / 1000, 'unixepoch') || ' UTC · ' || ${inviteName} AS detail
       FROM invitations i WHERE i.status = 'pending' AND i.expires_at > @now AND ${invites.sql}`,
      'i.expires_at',
      { ...invites.params, now },
    ),
    expiredInvitations: section(
      `SELECT i.id, i.email AS name, 'expired ' || strftime('%Y-%m-%d', i.expires_at / 1000, 'unixepoch') || ' · ' || ${inviteName} AS detail
       FROM invitations i WHERE i.status = 'pending' AND i.expires_at <= @now AND ${invites.sql}`,
      'i.expires_at DESC',
      { ...invites.params, now },
    ),
    // Counted without the groups join (which made counting 100,000 devices ten times slower); names are joined for the shown items only.
    unassignedDevices: {
      // From the per-group counts (migration 36); over the devices only for a reach limited by group kind.
      total:
        visibleUnassigned(db, actorId) ??
        stmt<Record<string, string | number>, { n: number }>(db, `SELECT count(*) AS n ${devices.from} WHERE ${devices.where}`).get(
          devices.params,
        )?.n ??
        0,
      items:
        shown > 0
          ? stmt<Record<string, string | number>, HygieneItem>(
              db,
              `SELECT p.id, p.name, g.name AS detail FROM (SELECT d.id, d.name, d.group_id ${devices.from} WHERE ${devices.where} ORDER BY d.name LIMIT ${shown}) p
               JOIN groups g ON g.id = p.group_id ORDER BY p.name`,
            ).all(devices.params)
          : [],
    },
    unusedRoles: {
      total: unused.length,
      items: unused.slice(0, shown).map((r) => ({ id: r.id, name: r.name, detail: 'no one holds this role' })),
    },
    dormantAccounts: section(
      `SELECT u.id, u.username AS name, CASE WHEN u.last_sign_in_at IS NULL THEN 'never signed in' ELSE 'last sign-in ' || strftime('%Y-%m-%d', u.last_sign_in_at / 1000, 'unixepoch') END AS detail
       ${fromUsers} WHERE u.status = 'active' AND coalesce(u.last_sign_in_at, u.created_at) < @dormantBefore AND ${users.sql}`,
      'coalesce(u.last_sign_in_at, 0)',
      { ...users.params, dormantBefore },
    ),
  };
}

export const hygieneHandler = () =>
  handler('access.hygiene', {
    readPool: true,
    // The page is about people first (the Hygiene screen requires users.view); every section is filtered by its own key.
    access: { kind: 'list', permission: 'users.view' },
    run: (ctx): HygieneReport => hygieneReport(ctx.db, ctx.actor.userId, ctx.clock.now()),
  });
