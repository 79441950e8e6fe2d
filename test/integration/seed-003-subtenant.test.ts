import { afterEach, describe, expect, it } from 'vitest';
import { areaPermissions, type AreaId } from '../../shared/access/catalog';
import { template } from '../../shared/access/templates';
import type { DeviceListOutput } from '../../shared/contract';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { member } from '../helpers/people';
import { SEED_003_AREAS, seed003Table } from '../helpers/seeds';
import { ROLE, World } from '../helpers/world';

/**
 * Seed 003's Subtenant, cell by cell: every cell marked "*" is limited to the Subtenant's
 * own computers, which Steward expresses as the devices assigned to them. A company with a
 * fleet; its Admin makes a role from the template, gives it to a Subtenant at the customer
 * and assigns them two computers, all through the dispatcher.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

async function company() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const admin = member(w, 'admin', acme, ROLE.admin);
  const colleague = member(w, 'operator', acme, ROLE.operator);
  const subtenant = w.user('subtenant', acme);
  const devices = addDevices(w, acme, mixedSpecs('acme-pc', 6));
  const spec = template('company-portal-subtenant');
  if (!spec) throw new Error('no Subtenant template');
  const { id: roleId } = await w.ok<{ id: string }>(admin, 'roles.create', {
    ownerGroupId: acme,
    name: spec.name,
    deviceVisibility: spec.deviceVisibility,
    permissions: [...spec.permissions],
  });
  await w.ok(admin, 'users.setRoles', {
    userId: subtenant,
    baseVersion: w.version('user', subtenant),
    bindings: [{ roleId, groupId: acme }],
  });
  const [own1, own2, other, colleagues] = devices as [string, string, string, string];
  w.assign(colleagues, colleague);
  return { w, acme, admin, colleague, subtenant, own: [own1, own2], other, colleagues, devices };
}

/** The keys a cell's level gives in each of its areas: Full every key of the area, Read its read keys. */
function cellKeys(cell: string, functionality: string): string[] {
  const full = cell.startsWith('Full');
  return (SEED_003_AREAS[functionality] ?? []).flatMap((area) =>
    areaPermissions(area as AreaId)
      .filter((p) => full || p.level === 'read')
      .map((p) => p.key),
  );
}

const subtenantColumn = () => {
  const { roles, rows } = seed003Table();
  const index = roles.indexOf('Subtenant');
  return rows.map((r) => ({ functionality: r.functionality, cell: r.cells[index] ?? '' }));
};

const assignments = (w: World) =>
  w.steward.db.prepare('SELECT device_id, user_id FROM device_assignments ORDER BY device_id, user_id').all() as unknown[];

describe('seed-003: a Subtenant sees and acts on exactly their own computers', () => {
  it('seed-003 Subtenant: an Admin’s assignment is accepted, and devices.list returns exactly the two computers assigned to them', async () => {
    const { w, admin, subtenant, own } = await company();
    expect(await w.ok(admin, 'devices.assign', { deviceIds: own, userIds: [subtenant] })).toEqual({ changed: 2, unchanged: 0 });
    const list = await w.ok<DeviceListOutput>(subtenant, 'devices.list', {});
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => r.id).sort()).toEqual([...own].sort());
    expect(list.assign.allowed).toBe(false);
    expect(list.manage.allowed).toBe(false);
    // The colleague holding another of the company's computers is not named to them.
    expect(list.rows.flatMap((r) => r.assignees.map((a) => a.userId))).toEqual([subtenant, subtenant]);
  });

  it('seed-003 Subtenant: each starred cell (agents Read, file-level restore Full, monitoring, active alarms, protected data Read) is allowed on their own computer and refused on another computer of the company', async () => {
    const { w, admin, subtenant, own, other, colleagues } = await company();
    await w.ok(admin, 'devices.assign', { deviceIds: own, userIds: [subtenant] });
    const starred = subtenantColumn().filter((c) => c.cell.endsWith('*'));
    expect(starred.map((c) => `${c.functionality}: ${c.cell}`)).toEqual([
      'Veeam backup agents: Read*',
      'File-level restore: Full*',
      'Monitoring: Read*',
      'Active alarms: Read*',
      'Protected data: Read*',
    ]);
    for (const { functionality, cell } of starred) {
      const keys = cellKeys(cell, functionality);
      expect(keys.length, functionality).toBeGreaterThan(0);
      for (const permission of keys) {
        for (const device of own) {
          const asked = { userId: subtenant, permission, target: { type: 'device', id: device } };
          expect([permission, device, (await w.ok<{ allowed: boolean }>(admin, 'access.decide', asked)).allowed]).toEqual([
            permission,
            device,
            true,
          ]);
          // They may ask about themselves too, and get the same answer.
          expect((await w.ok<{ allowed: boolean }>(subtenant, 'access.decide', asked)).allowed).toBe(true);
        }
        for (const device of [other, colleagues]) {
          const asked = { userId: subtenant, permission, target: { type: 'device', id: device } };
          expect([permission, device, (await w.ok<{ allowed: boolean }>(admin, 'access.decide', asked)).allowed]).toEqual([
            permission,
            device,
            false,
          ]);
          // To the Subtenant another computer does not exist.
          const self = await w.call(subtenant, 'access.decide', asked);
          expect(self.ok ? 'answered' : self.error.code).toBe('NOT_FOUND');
        }
      }
    }
  });

  it('seed-003 Subtenant: every N/A cell, and the Full keys of the Read* cells, are refused even on their own computer', async () => {
    const { w, admin, subtenant, own } = await company();
    await w.ok(admin, 'devices.assign', { deviceIds: own, userIds: [subtenant] });
    const column = subtenantColumn();
    const refusedKeys = [
      ...column.filter((c) => c.cell === 'N/A').flatMap((c) => cellKeys('Full', c.functionality)),
      // Read*: the read keys only; managing agents or alarms stays refused.
      ...column
        .filter((c) => c.cell === 'Read*')
        .flatMap((c) => cellKeys('Full', c.functionality).filter((k) => !cellKeys('Read', c.functionality).includes(k))),
    ].filter((k) => k !== 'devices.view');
    expect(refusedKeys).toEqual(
      expect.arrayContaining([
        'devices.manage',
        'devices.assign',
        'users.view',
        'users.create',
        'agents.manage',
        'alarms.manage',
        'billing.view',
      ]),
    );
    for (const permission of refusedKeys) {
      const asked = { userId: subtenant, permission, target: { type: 'device', id: own[0] } };
      expect([permission, (await w.ok<{ allowed: boolean }>(admin, 'access.decide', asked)).allowed]).toEqual([permission, false]);
    }
  });

  it('seed-003 Subtenant: no users, no groups, no other device, no assigning; a refused call changes nothing', async () => {
    const { w, admin, subtenant, own, other } = await company();
    await w.ok(admin, 'devices.assign', { deviceIds: own, userIds: [subtenant] });
    expect(await w.ok<{ total: number }>(subtenant, 'users.list', {})).toMatchObject({ total: 0 });
    expect(await w.ok<{ groups: unknown[] }>(subtenant, 'groups.tree', {})).toMatchObject({ groups: [] });
    const peek = await w.call(subtenant, 'devices.get', { id: other });
    expect(peek.ok ? 'answered' : peek.error.code).toBe('NOT_FOUND');
    const before = assignments(w);
    const give = await w.call(subtenant, 'devices.assign', { deviceIds: [own[0]], userIds: [subtenant] });
    expect(give.ok ? 'answered' : give.error.code).toBe('FORBIDDEN');
    const bulk = await w.call(subtenant, 'devices.bulkAssign', { selection: { filter: {} }, userIds: [subtenant], action: 'unassign' });
    expect(bulk.ok ? 'answered' : bulk.error.code).toBe('FORBIDDEN');
    expect(assignments(w)).toEqual(before);
  });
});
