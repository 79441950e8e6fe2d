import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceListOutput } from '../../shared/contract';
import { addDevices } from '../helpers/fleet';
import { allAssignments, twoTenants } from '../helpers/two-tenants';
import { ROLE, type World } from '../helpers/world';
import { BUILTIN_ROLES } from '../../shared/access/builtin-roles';

/**
 * users.remove with reassignDevicesTo (seed 000: "their devices remain backed up and can be
 * reassigned"): the new holder must be able to hold every device (the rule devices.assign
 * applies), the remover must be able to assign them, and a refusal names no device the
 * remover may not see and changes nothing.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

describe('review: removing a member and handing over their devices', () => {
  it('refuses (VALIDATION on reassignDevicesTo, naming the rule) when the new holder cannot hold the devices; nothing changes', async () => {
    const { w, admin, operator, auditor, acmeDevices } = twoTenants(worlds);
    await w.ok(admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 3), userIds: [operator] });
    const before = allAssignments(w);
    const answer = await w.call(admin, 'users.remove', { id: operator, reassignDevicesTo: auditor });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['VALIDATION', 'reassignDevicesTo']);
    expect(answer.ok ? '' : answer.error.message).toMatch(/devices\.view/);
    expect(allAssignments(w)).toEqual(before);
    expect(w.steward.db.prepare('SELECT 1 FROM users WHERE id = ?').get(operator)).toBeDefined();
  });

  it('refuses a new holder outside the devices’ company, even for a provider Admin who sees both', async () => {
    const { w, operator, globexOperator, acmeDevices } = twoTenants(worlds);
    const provider = w.user('provider-admin', w.rootId);
    w.bind(provider, ROLE.admin, w.rootId);
    await w.ok(provider, 'devices.assign', { deviceIds: acmeDevices.slice(0, 2), userIds: [operator] });
    const before = allAssignments(w);
    const answer = await w.call(provider, 'users.remove', { id: operator, reassignDevicesTo: globexOperator });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['VALIDATION', 'reassignDevicesTo']);
    expect(answer.ok ? '' : answer.error.message).toMatch(/outside the devices’ company|none of their roles reaches/);
    expect(allAssignments(w)).toEqual(before);
  });

  it('a member holding devices outside the remover’s devices.assign: refused on reassignDevicesTo, naming no device', async () => {
    const { w, acme, admin } = twoTenants(worlds);
    const berlin = w.group(acme, 'location', 'Berlin');
    const paris = w.group(acme, 'location', 'Paris');
    const [berlinDevice] = addDevices(w, berlin, [{ name: 'berlin-1' }]);
    const [parisDevice] = addDevices(w, paris, [{ name: 'paris-hidden' }]);
    // A team lead who holds everything an Operator holds across Acme (R7), but assigns devices only in Berlin,
    // removes an Operator who also holds a Paris device.
    const operatorKeys = BUILTIN_ROLES.find((r) => r.key === 'operator')?.permissions ?? [];
    const lead = w.user('team-lead', berlin);
    w.bind(lead, w.role(acme, [...operatorKeys, 'users.view', 'users.delete'], 'scope'), acme);
    w.bind(lead, w.role(acme, ['devices.view', 'devices.assign'], 'scope'), berlin);
    const leaving = w.user('leaving', berlin);
    const heir = w.user('heir', berlin);
    w.bind(leaving, ROLE.operator, acme);
    w.bind(heir, ROLE.operator, acme);
    await w.ok(admin, 'devices.assign', { deviceIds: [berlinDevice, parisDevice], userIds: [leaving] });
    const before = allAssignments(w);
    const answer = await w.call(lead, 'users.remove', { id: leaving, reassignDevicesTo: heir });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['FORBIDDEN', 'reassignDevicesTo']);
    expect(answer.ok ? '' : answer.error.message).not.toContain(parisDevice ?? '');
    expect(answer.ok ? '' : answer.error.message).not.toMatch(/paris/i);
    expect(allAssignments(w)).toEqual(before);
    // Without handing over, the removal goes ahead.
    expect(await w.ok(lead, 'users.remove', { id: leaving })).toEqual({ removed: true, devicesReassigned: 0 });
  });

  it('a lead who sees only their own assigned devices may not remove an Operator holding a device the lead does not (R7), naming no device', async () => {
    const { w, acme, admin } = twoTenants(worlds);
    const paris = w.group(acme, 'location', 'Paris');
    const [parisDevice] = addDevices(w, paris, [{ name: 'paris-hidden' }]);
    const operatorKeys = BUILTIN_ROLES.find((r) => r.key === 'operator')?.permissions ?? [];
    const lead = w.user('team-lead', acme);
    w.bind(lead, w.role(acme, [...operatorKeys, 'users.view', 'users.delete'], 'assigned'), acme);
    const leaving = w.user('leaving', acme);
    w.bind(leaving, ROLE.operator, acme);
    await w.ok(admin, 'devices.assign', { deviceIds: [parisDevice], userIds: [leaving] });
    const answer = await w.call(lead, 'users.remove', { id: leaving });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['FORBIDDEN', 'id']);
    expect(answer.ok ? '' : answer.error.message).not.toMatch(/paris/i);
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(leaving)).toEqual({ n: 1 });
  });

  it('still hands devices to a member who can hold them', async () => {
    const { w, admin, operator, operator2, acmeDevices } = twoTenants(worlds);
    await w.ok(admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 3), userIds: [operator] });
    expect(await w.ok(admin, 'users.remove', { id: operator, reassignDevicesTo: operator2 })).toEqual({
      removed: true,
      devicesReassigned: 3,
    });
    expect((await w.ok<DeviceListOutput>(operator2, 'devices.list', {})).total).toBe(3);
  });
});
