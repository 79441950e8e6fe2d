import { allowedChildKinds, isCompanyKind } from '../../../shared/access/groups';
import { MODULES, moduleAvailable, moduleUnavailableReason, type ModuleId } from '../../../shared/access/modules';
import { BILLING_FIELDS, type GroupDetail, type GroupSummary, type Profile, type ProfileView } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { check, resolveTarget, scopeCondition } from '../access/access';
import { seatUse } from '../users/seats';
import { activitiesOf, contactsOf, groupRow, manageKeyFor, parseBranding, parseProfile } from './records';

/**
 * The keys this module's reads filter or hide by, beyond its operations' declared rules
 * (the catalog-coverage test reads them): counts by users.view and devices.view, the
 * company parts of groups.get by company.view, its billing contact by billing.view.
 */
export const GROUP_READ_KEYS = {
  users: 'users.view',
  devices: 'devices.view',
  company: 'company.view',
  billing: 'billing.view',
} as const;

interface TreeRow {
  id: string;
  parentId: string | null;
  kind: GroupSummary['kind'];
  name: string;
  usersVisible: number;
  devicesVisible: number;
}

/** Every group the caller may see, parents before children, with the counts the caller may see. */
function tree(db: Db, actorId: string): GroupSummary[] {
  const visible = scopeCondition(db, actorId, 'groups.view', { group: 'g.id', kind: 'g.kind' }, 'tv');
  const users = scopeCondition(db, actorId, GROUP_READ_KEYS.users, { group: 'g.id', kind: 'g.kind' }, 'uv');
  const devices = scopeCondition(db, actorId, GROUP_READ_KEYS.devices, { group: 'g.id', kind: 'g.kind' }, 'dv');
  const rows = stmt<Record<string, string>, TreeRow>(
    db,
    `SELECT g.id, g.parent_id AS parentId, g.kind, g.name, ${users.sql} AS usersVisible, ${devices.sql} AS devicesVisible
     FROM groups g WHERE ${visible.sql}`,
  ).all({ ...visible.params, ...users.params, ...devices.params });
  const userCounts = countBy(db, 'SELECT home_group_id AS id, count(*) AS n FROM users GROUP BY home_group_id', {});
  const deviceScope = scopeCondition(db, actorId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'ds');
  const deviceCounts = countBy(
    db,
    `SELECT d.group_id AS id, count(*) AS n FROM devices d JOIN groups g ON g.id = d.group_id WHERE ${deviceScope.sql} GROUP BY d.group_id`,
    deviceScope.params,
  );
  return parentsFirst(rows).map((r) => ({
    id: r.id,
    parentId: r.parentId,
    kind: r.kind,
    name: r.name,
    userCount: r.usersVisible ? (userCounts.get(r.id) ?? 0) : null,
    deviceCount: r.devicesVisible ? (deviceCounts.get(r.id) ?? 0) : null,
  }));
}

/** Breadth first from the visible roots, siblings by name: every parent comes before its children. */
function parentsFirst(rows: TreeRow[]): TreeRow[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, TreeRow[]>();
  for (const row of rows) {
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    const list = children.get(parent);
    if (list) list.push(row);
    else children.set(parent, [row]);
  }
  const key = new Map(rows.map((r) => [r.id, r.name.toLowerCase()]));
  const byName = (a: TreeRow, b: TreeRow) => {
    const x = key.get(a.id) ?? '';
    const y = key.get(b.id) ?? '';
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
  };
  const out: TreeRow[] = [];
  let level = (children.get(null) ?? []).sort(byName);
  while (level.length > 0) {
    out.push(...level);
    level = level.flatMap((r) => (children.get(r.id) ?? []).sort(byName));
  }
  return out;
}

function countBy(db: Db, sql: string, params: Record<string, string>): Map<string, number> {
  return new Map(
    stmt<Record<string, string>, { id: string; n: number }>(db, sql)
      .all(params)
      .map((r) => [r.id, r.n]),
  );
}

function detail(db: Db, actorId: string, id: string, now: number): GroupDetail {
  // groups.view was decided by the rule; the group cannot vanish inside the transaction.
  const target = resolveTarget(db, 'group', id, actorId);
  const row = groupRow(db, id);
  if (!row || !target) throw new Error('group vanished inside a transaction');
  const can = (key: string) => check(db, actorId, key, target).allowed;
  const count = (sql: string) => stmt<[string], { n: number }>(db, sql).get(id)?.n ?? 0;
  const isRoot = row.parent_id === null;
  const childKinds = allowedChildKinds(row.kind).filter((kind) => can(manageKeyFor(kind)));
  const company = can(GROUP_READ_KEYS.company);
  const billing = can(GROUP_READ_KEYS.billing);
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    path: target.groupPath.fromRoot.map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
    serviceType: row.service_type,
    seatLimit: row.seat_limit,
    version: row.version,
    // Finding 6: the company's profile, contacts, activity notes and branding are company.view's,
    // its billing contact billing.view's; a reader without them gets the parts absent, not empty.
    profile: company ? profileView(parseProfile(row.profile), billing) : null,
    contacts: company ? contactsOf(db, id) : null,
    activities: company ? activitiesOf(db, id) : null,
    branding: company ? parseBranding(row.branding) : null,
    visible: { company, billing: company && billing },
    modules: (Object.keys(MODULES) as ModuleId[])
      .filter((m) => m !== 'core')
      .map((m) => ({
        id: m,
        label: MODULES[m].label,
        available: moduleAvailable(m, row.kind),
        reason: moduleUnavailableReason(m, row.kind),
      })),
    // Only the kinds the caller may create here, so the UI never offers a refused action.
    allowedChildKinds: childKinds,
    childCount: count('SELECT count(*) AS n FROM groups WHERE parent_id = ?'),
    userCount: can('users.view') ? count('SELECT count(*) AS n FROM users WHERE home_group_id = ?') : null,
    deviceCount: can('devices.view') ? visibleDevices(db, actorId, id) : null,
    seats: seatsView(db, id, now),
    can: {
      edit: can(manageKeyFor(row.kind)),
      createChild: childKinds.length > 0,
      move: !isRoot && can(manageKeyFor(row.kind)),
      remove: !isRoot && can(manageKeyFor(row.kind)),
      editCompany: can('company.manage'),
      editSeats: isCompanyKind(row.kind) && can('billing.manage'),
    },
  };
}

/** The profile without its billing fields unless the reader may see billing there. */
function profileView(profile: Profile, billing: boolean): ProfileView {
  if (billing) return profile;
  return Object.fromEntries(Object.entries(profile).filter(([key]) => !(BILLING_FIELDS as readonly string[]).includes(key))) as ProfileView;
}

function seatsView(db: Db, groupId: string, now: number): GroupDetail['seats'] {
  const use = seatUse(db, groupId, now);
  return use
    ? { companyName: use.companyName, used: use.members + use.pending, limit: use.limit, members: use.members, pending: use.pending }
    : null;
}

function visibleDevices(db: Db, actorId: string, groupId: string): number {
  const scope = scopeCondition(db, actorId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' });
  return (
    stmt<Record<string, string>, { n: number }>(
      db,
      `SELECT count(*) AS n FROM devices d JOIN groups g ON g.id = d.group_id WHERE d.group_id = @groupId AND ${scope.sql}`,
    ).get({
      groupId,
      ...scope.params,
    })?.n ?? 0
  );
}

export function groupReadHandlers(): RegisteredHandler[] {
  return [
    handler('groups.tree', {
      readPool: true,
      access: { kind: 'list', permission: 'groups.view' },
      run: (ctx) => ({ groups: tree(ctx.db, ctx.actor.userId) }),
    }),
    handler('groups.get', {
      access: {
        kind: 'scoped',
        keys: ['groups.view'],
        needs: (input) => [{ permission: 'groups.view', on: { type: 'group', id: input.id, field: 'id' } }],
      },
      run: (ctx, input) => detail(ctx.db, ctx.actor.userId, input.id, ctx.clock.now()),
    }),
  ];
}
