import { allowedChildKinds, isCompanyKind, type GroupKind } from '../../../shared/access/groups';
import { MODULES, moduleAvailable, moduleUnavailableReason, type ModuleId } from '../../../shared/access/modules';
import { nameKey } from '../../../shared/names';
import { BILLING_FIELDS, type GroupDetail, type GroupSummary, type Profile, type ProfileView } from '../../../shared/contract';
import type { Db } from '../../db/connection';
import { stmt } from '../../db/statements';
import { handler, type RegisteredHandler } from '../../dispatch/registry';
import { check, pathSeenBy, resolveTarget, scopeCondition, scopeRoots } from '../access/access';
import { rootGroup } from '../access/tree';
import { syncMark, syncMarks } from '../directory/store';
import { seatUse } from '../users/seats';
import { visibleGroupCounts } from '../devices/aggregates';
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
}

/**
 * Every group the caller may see, parents before children, with the counts the caller may
 * see. Which groups each key reaches is decided once per key (a subtree set, or everything
 * for a key held at the root), then tested per group in code: 10,000 groups cost a read of
 * the groups, not three subqueries per group.
 */
function tree(db: Db, actorId: string): GroupSummary[] {
  const visible = reachOf(db, actorId, 'groups.view');
  const users = reachOf(db, actorId, GROUP_READ_KEYS.users);
  const devices = reachOf(db, actorId, GROUP_READ_KEYS.devices);
  // Siblings come out in name order from the index that keeps sibling names unique (name_key, migration 20): no sort of 10,000 names here.
  const rows = stmt<[], TreeRow>(
    db,
    `SELECT id, parent_id AS parentId, kind, name FROM groups INDEXED BY groups_sibling_key ORDER BY coalesce(parent_id, ''), name_key(name)`,
  )
    .all()
    .filter(visible);
  const userCounts = countBy(db, 'SELECT home_group_id AS id, count(*) AS n FROM users GROUP BY home_group_id', {});
  // From the per-group tallies (main/features/devices/aggregates.ts), not the devices.
  const deviceCounts = visibleGroupCounts(db, actorId) ?? scannedDeviceCounts(db, actorId);
  const marks = syncMarks(db);
  return parentsFirst(rows).map((r) => ({
    id: r.id,
    parentId: r.parentId,
    kind: r.kind,
    name: r.name,
    userCount: users(r) ? (userCounts.get(r.id) ?? 0) : null,
    deviceCount: devices(r) ? (deviceCounts.get(r.id) ?? 0) : null,
    synced: marks.get(r.id) ?? null,
  }));
}

/** "The caller holds `key` at this group": scopeCondition's rule, for testing groups one by one in code. */
function reachOf(db: Db, actorId: string, key: string): (group: { id: string; kind: GroupKind }) => boolean {
  const { scope, kinds } = scopeRoots(db, actorId, key);
  const kindSet = new Set(kinds);
  const root = rootGroup(db)?.id;
  if (root !== undefined && scope.has(root)) return (g) => kindSet.has(g.kind);
  const ids = new Set(
    stmt<[string], { id: string }>(db, 'SELECT descendant AS id FROM group_closure WHERE ancestor IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify([...scope]))
      .map((r) => r.id),
  );
  return (g) => kindSet.has(g.kind) && ids.has(g.id);
}

/**
 * Breadth first from the visible roots, siblings in the order `rows` gives them (by name
 * key), the visible roots themselves by name key: every parent comes before its children.
 */
function parentsFirst<T extends { id: string; parentId: string | null; name: string }>(rows: readonly T[]): T[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, T[]>();
  for (const row of rows) {
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    const list = children.get(parent);
    if (list) list.push(row);
    else children.set(parent, [row]);
  }
  // Roots under different parents (a person with several scopes) are ordered here; there are few.
  const out = (children.get(null) ?? []).map((row) => ({ row, key: nameKey(row.name) }));
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row.id < b.row.id ? -1 : 1));
  const ordered = out.map((o) => o.row);
  for (let i = 0; i < ordered.length; i++) {
    const kids = children.get((ordered[i] as T).id);
    if (kids) for (const kid of kids) ordered.push(kid);
  }
  return ordered;
}

/** Visible devices per group read from the devices: only for a devices.view limited by group kind, which the tallies cannot apply. */
function scannedDeviceCounts(db: Db, actorId: string): Map<string, number> {
  const scope = scopeCondition(db, actorId, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' }, 'ds');
  return countBy(
    db,
    `SELECT d.group_id AS id, count(*) AS n FROM devices d JOIN groups g ON g.id = d.group_id WHERE ${scope.sql} GROUP BY d.group_id`,
    scope.params,
  );
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
  const synced = syncMark(db, id) ?? null;
  // R29: what the directory sync owns is not offered by hand while it is on.
  const owned = synced?.locked === true;
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    path: pathSeenBy(db, actorId, target.groupPath.fromRoot).map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
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
      rename: !owned && can(manageKeyFor(row.kind)),
      createChild: childKinds.length > 0,
      move: !isRoot && !owned && can(manageKeyFor(row.kind)),
      remove: !isRoot && !owned && can(manageKeyFor(row.kind)),
      editCompany: can('company.manage'),
      editSeats: isCompanyKind(row.kind) && can('billing.manage'),
    },
    synced,
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
