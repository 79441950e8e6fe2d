import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES } from '../../shared/access/builtin-roles';
import { decide, type Target } from '../../shared/access/decide';
import { allowedChildKinds, type GroupKind } from '../../shared/access/groups';
import type { GroupSummary, UserSummary } from '../../shared/contract';
import { bindingsOf, scopeCondition } from '../../main/features/access/access';
import { ROLE, World } from '../helpers/world';

/**
 * R4, R5 and R14 as properties over random trees, roles, bindings and assignments.
 * The oracle computes every path from the generated parent links itself, so it does not
 * share the closure table or the SQL it is checking.
 */
const SAMPLE_KEYS = [
  'groups.view',
  'users.view',
  'users.edit',
  'devices.view',
  'devices.assign',
  'roles.view',
  'deployment.run',
  'billing.manage',
];

const worldShape = fc.record({
  groups: fc.array(fc.record({ parent: fc.nat(), kind: fc.nat() }), { minLength: 1, maxLength: 18 }),
  customRoles: fc.array(fc.record({ keys: fc.subarray(SAMPLE_KEYS), assigned: fc.boolean() }), { maxLength: 3 }),
  users: fc.array(fc.record({ home: fc.nat(), bindings: fc.array(fc.record({ role: fc.nat(), group: fc.nat() }), { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 7,
  }),
  devices: fc.array(fc.record({ group: fc.nat(), assignees: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 14 }),
});

type Shape = typeof worldShape extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  w: World;
  groups: Array<{ id: string; kind: GroupKind; path: string[] }>;
  users: Array<{ id: string; home: number }>;
  roles: string[];
  devices: Array<{ id: string; group: number; assignees: Set<string> }>;
}

function build(shape: Shape): Built {
  const w = new World();
  const groups: Built['groups'] = [{ id: w.rootId, kind: 'provider', path: [w.rootId] }];
  for (const g of shape.groups) {
    const parent = groups[g.parent % groups.length] ?? groups[0];
    if (!parent) continue;
    const kinds = allowedChildKinds(parent.kind);
    const kind = kinds[g.kind % Math.max(kinds.length, 1)];
    if (!kind) continue;
    const id = w.group(parent.id, kind);
    groups.push({ id, kind, path: [id, ...parent.path] });
  }
  const roles = [
    ROLE.admin,
    ROLE.operator,
    ROLE.viewer,
    ...shape.customRoles.map((r) => w.role(w.rootId, r.keys, r.assigned ? 'assigned' : 'scope')),
  ];
  const users: Built['users'] = [{ id: w.ownerId, home: 0 }];
  for (const [i, u] of shape.users.entries()) {
    const home = u.home % groups.length;
    const id = w.user(`user${i}`, groups[home]?.id ?? w.rootId);
    users.push({ id, home });
    const seen = new Set<string>();
    for (const b of u.bindings) {
      const role = roles[b.role % roles.length] ?? ROLE.viewer;
      const group = groups[b.group % groups.length]?.id ?? w.rootId;
      if (seen.has(`${role}@${group}`)) continue;
      seen.add(`${role}@${group}`);
      w.bind(id, role, group);
    }
  }
  const devices: Built['devices'] = shape.devices.map((d) => {
    const group = d.group % groups.length;
    const id = w.device(groups[group]?.id ?? w.rootId);
    const assignees = new Set(d.assignees.map((a) => users[a % users.length]?.id ?? w.ownerId));
    for (const userId of assignees) w.assign(id, userId);
    return { id, group, assignees };
  });
  return { w, groups, users, roles, devices };
}

const built: World[] = [];
afterEach(() => built.splice(0).forEach((w) => w.cleanup()));

function targetOfGroup(b: Built, index: number): Omit<Target, 'type' | 'id'> {
  const g = b.groups[index] ?? b.groups[0];
  return { path: g?.path ?? [], kind: g?.kind ?? 'provider' };
}

describe('access properties', () => {
  it('every list returns exactly what decide allows, item by item (groups, users, devices, tree counts)', async () => {
    await fc.assert(
      fc.asyncProperty(worldShape, async (shape) => {
        const b = build(shape);
        built.push(b.w);
        for (const user of b.users) {
          const bindings = bindingsOf(b.w.steward.db, user.id);
          const expectGroups = b.groups
            .filter((g, i) => decide(bindings, 'groups.view', { type: 'group', id: g.id, ...targetOfGroup(b, i) }).allowed)
            .map((g) => g.id);
          const tree = await b.w.ok<{ groups: GroupSummary[] }>(user.id, 'groups.tree', {});
          expect(tree.groups.map((g) => g.id).sort()).toEqual(expectGroups.sort());

          const expectUsers = b.users
            .filter((u) => decide(bindings, 'users.view', { type: 'user', id: u.id, ...targetOfGroup(b, u.home) }).allowed)
            .map((u) => u.id);
          const list = await b.w.ok<{ users: UserSummary[]; total: number }>(user.id, 'users.list', { limit: 500 });
          expect(list.users.map((u) => u.id).sort()).toEqual(expectUsers.sort());
          expect(list.total).toBe(expectUsers.length);

          const visibleDevices = b.devices.filter(
            (d) =>
              decide(bindings, 'devices.view', {
                type: 'device',
                id: d.id,
                ...targetOfGroup(b, d.group),
                assignedToSubject: d.assignees.has(user.id),
              }).allowed,
          );
          const scope = scopeCondition(b.w.steward.db, user.id, 'devices.view', { group: 'd.group_id', kind: 'g.kind', device: 'd.id' });
          const listed = b.w.steward.db
            .prepare(`SELECT d.id FROM devices d JOIN groups g ON g.id = d.group_id WHERE ${scope.sql}`)
            .all(scope.params) as Array<{ id: string }>;
          expect(listed.map((r) => r.id).sort()).toEqual(visibleDevices.map((d) => d.id).sort());

          for (const g of tree.groups) {
            if (g.deviceCount === null) continue;
            const index = b.groups.findIndex((x) => x.id === g.id);
            expect(g.deviceCount).toBe(visibleDevices.filter((d) => d.group === index).length);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('no sequence of grants lets an actor hand out a permission it did not hold, and the Owner rule always holds', async () => {
    const ops = fc.array(
      fc.record({
        actor: fc.nat(),
        target: fc.nat(),
        bindings: fc.array(fc.record({ role: fc.nat(), group: fc.nat() }), { maxLength: 3 }),
      }),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
    await fc.assert(
      fc.asyncProperty(worldShape, ops, async (shape, sequence) => {
        const b = build(shape);
        built.push(b.w);
        const db = b.w.steward.db;
        const rolesWithOwner = [...b.roles, ROLE.owner];
        for (const op of sequence) {
          const actor = b.users[op.actor % b.users.length];
          const target = b.users[op.target % b.users.length];
          if (!actor || !target) continue;
          const before = new Set(bindingsOf(db, target.id).map((x) => `${x.role.id}@${x.groupId}`));
          // R5 holds against what the actor holds when acting (an earlier step may have granted it more).
          const actorHeld = bindingsOf(db, actor.id);
          const bindings = op.bindings.map((x) => ({
            roleId: rolesWithOwner[x.role % rolesWithOwner.length] ?? ROLE.viewer,
            groupId: b.groups[x.group % b.groups.length]?.id ?? b.w.rootId,
          }));
          const answer = await b.w.call(actor.id, 'users.setRoles', {
            userId: target.id,
            baseVersion: b.w.version('user', target.id),
            bindings,
          });
          if (!answer.ok) continue;
          for (const added of bindingsOf(db, target.id).filter((x) => !before.has(`${x.role.id}@${x.groupId}`))) {
            const path = b.groups.find((g) => g.id === added.groupId)?.path ?? [];
            for (const key of added.role.permissions) {
              const holders = actorHeld.filter((h) => path.includes(h.groupId) && h.role.permissions.has(key));
              expect(holders.length, `${key} granted by an actor who did not hold it`).toBeGreaterThan(0);
            }
          }
        }
        const owners = db
          .prepare("SELECT group_id, count(*) AS n FROM role_bindings WHERE role_id = 'builtin-owner' GROUP BY group_id")
          .all() as Array<{ group_id: string; n: number }>;
        expect(owners.every((o) => o.n === 1)).toBe(true);
        expect(owners.some((o) => o.group_id === b.w.rootId)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('built-in roles match seed 000 as the catalog records them', () => {
    expect(BUILTIN_ROLES.map((r) => [r.key, r.deviceVisibility])).toEqual([
      ['owner', 'scope'],
      ['admin', 'scope'],
      ['operator', 'assigned'],
      ['viewer', 'assigned'],
    ]);
  });
});
