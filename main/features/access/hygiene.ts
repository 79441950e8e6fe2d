import { DORMANT_DAYS, type HygieneItem, type HygieneReport, type HygieneSection } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler } from '../../dispatch/registry';
import { check, resolveTarget, scopeCondition } from './access';
import { allRoles } from './roles-cache';

const SHOWN = 50;

/** Keys the hygiene sections filter by, for the catalog-coverage test. */
export const HYGIENE_READ_KEYS = ['users.view', 'devices.view', 'roles.view'] as const;

function section(db: Db, sql: string, params: Record<string, string | number>): HygieneSection {
  const total = stmt<Record<string, string | number>, { n: number }>(db, `SELECT count(*) AS n FROM (${sql})`).get(params)?.n ?? 0;
  const items = stmt<Record<string, string | number>, HygieneItem>(db, `${sql} LIMIT ${SHOWN}`).all(params);
  return { total, items };
}

/** What an admin should look at, each list filtered by the same rule as every other list. */
export const hygieneHandler = () =>
  handler('access.hygiene', {
    readPool: true,
    // The page is about people first (the Hygiene screen requires users.view); every section is filtered by its own key.
    access: { kind: 'list', permission: 'users.view' },
    run(ctx): HygieneReport {
      const { db } = ctx;
      const actorId = ctx.actor.userId;
      const now = ctx.clock.now();
      const users = scopeCondition(db, actorId, 'users.view', { group: 'u.home_group_id', kind: 'hg.kind', user: 'u.id' }, 'u');
      const invites = scopeCondition(db, actorId, 'users.view', { group: 'i.group_id', kind: 'g.kind' }, 'i');
      const devices = scopeCondition(db, actorId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'd');
      const fromUsers = 'FROM users u JOIN groups hg ON hg.id = u.home_group_id';
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
          db,
          `SELECT u.id, u.username AS name, CASE WHEN u.mfa_enrolled_at IS NULL THEN 'never enrolled' ELSE 'reset, not enrolled again' END || ' · ' || hg.name AS detail
           ${fromUsers} WHERE u.totp_secret IS NULL AND u.status = 'active' AND ${users.sql} ORDER BY u.username`,
          users.params,
        ),
        pendingInvitations: section(
          db,
          `SELECT i.id, i.email AS name, 'expires ' || strftime('%Y-%m-%d %H:%M', i.expires_at / 1000, 'unixepoch') || ' UTC · ' || g.name AS detail
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE i.status = 'pending' AND i.expires_at > @now AND ${invites.sql} ORDER BY i.expires_at`,
          { ...invites.params, now },
        ),
        expiredInvitations: section(
          db,
          `SELECT i.id, i.email AS name, 'expired ' || strftime('%Y-%m-%d', i.expires_at / 1000, 'unixepoch') || ' · ' || g.name AS detail
           FROM invitations i JOIN groups g ON g.id = i.group_id WHERE i.status = 'pending' AND i.expires_at <= @now AND ${invites.sql} ORDER BY i.expires_at DESC`,
          { ...invites.params, now },
        ),
        unassignedDevices: section(
          db,
          `SELECT d.id, d.name, g.name AS detail FROM devices d JOIN groups g ON g.id = d.group_id
           WHERE NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id) AND ${devices.sql} ORDER BY d.name`,
          devices.params,
        ),
        unusedRoles: {
          total: unused.length,
          items: unused.slice(0, SHOWN).map((r) => ({ id: r.id, name: r.name, detail: 'no one holds this role' })),
        },
        dormantAccounts: section(
          db,
          `SELECT u.id, u.username AS name, CASE WHEN u.last_sign_in_at IS NULL THEN 'never signed in' ELSE 'last sign-in ' || strftime('%Y-%m-%d', u.last_sign_in_at / 1000, 'unixepoch') END AS detail
           ${fromUsers} WHERE u.status = 'active' AND coalesce(u.last_sign_in_at, u.created_at) < @dormantBefore AND ${users.sql} ORDER BY coalesce(u.last_sign_in_at, 0)`,
          { ...users.params, dormantBefore },
        ),
      };
    },
  });
