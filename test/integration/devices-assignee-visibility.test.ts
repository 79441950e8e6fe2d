import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceDetail, UserSummary } from '../../shared/contract';
import { addDevices } from '../helpers/fleet';
import { twoTenants } from '../helpers/two-tenants';
import type { World } from '../helpers/world';

/**
 * R4: a device's assignees are the members the reader may see, by the same rule
 * as the members list, which (seed 004) reaches department members from a supervisor's
 * binding at the department.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

describe('review: device assignees and departments', () => {
  it('a department supervisor sees a member of the department among a device’s assignees, as in the members list', async () => {
    const { w, acme, admin, operator } = twoTenants(worlds);
    const finance = w.group(acme, 'department', 'Finance');
    const [ledger] = addDevices(w, finance, [{ name: 'ledger-server' }]);
    const supervisor = w.user('supervisor', finance);
    w.bind(supervisor, w.role(acme, ['groups.view', 'users.view', 'devices.view']), finance);
    // The Operator's home is Acme; they belong to Finance as a department member.
    await w.ok(admin, 'users.setDepartments', { userId: operator, baseVersion: w.version('user', operator), departmentIds: [finance] });
    await w.ok(admin, 'devices.assign', { deviceIds: [ledger], userIds: [operator] });
    const members = await w.ok<{ users: UserSummary[] }>(supervisor, 'users.list', {});
    expect(members.users.map((u) => u.id)).toContain(operator);
    const device = await w.ok<DeviceDetail>(supervisor, 'devices.get', { id: ledger });
    expect(device.assignees.map((a) => a.userId)).toEqual([operator]);
  });

  it('other assignees stay hidden from a reader who may not see them', async () => {
    const { w, acme, admin, operator } = twoTenants(worlds);
    const finance = w.group(acme, 'department', 'Finance');
    const [ledger] = addDevices(w, finance, [{ name: 'ledger-server' }]);
    const supervisor = w.user('supervisor', finance);
    w.bind(supervisor, w.role(acme, ['groups.view', 'users.view', 'devices.view']), finance);
    await w.ok(admin, 'devices.assign', { deviceIds: [ledger], userIds: [operator] });
    const device = await w.ok<DeviceDetail>(supervisor, 'devices.get', { id: ledger });
    expect(device.assignees).toEqual([]);
  });
});
