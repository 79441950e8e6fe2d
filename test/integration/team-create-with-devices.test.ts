import { afterEach, describe, expect, it } from 'vitest';
import { allAssignments, twoTenants } from '../helpers/two-tenants';
import { ROLE, type World } from '../helpers/world';

/**
 * users.create with deviceIds (seed 002: "limit access to specific servers") hands devices
 * out, so it follows the rule devices.assign applies: the new member must be able to hold
 * each device (a role of theirs reaching its group grants devices.view). A refusal names
 * the field and creates nothing.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

let made = 0;
function input(homeGroupId: string, roleId: string, groupId: string, deviceIds: Array<string | undefined>) {
  const n = ++made;
  return { username: `new-member-${n}`, email: `new-${n}@example.test`, homeGroupId, bindings: [{ roleId, groupId }], deviceIds };
}

describe('review: devices given at account creation', () => {
  it('refuses a device outside the new member’s company (VALIDATION on deviceIds.N); no account is created', async () => {
    const { w, acme, acmeDevices, globexDevices } = twoTenants(worlds);
    const provider = w.user('provider-admin', w.rootId);
    w.bind(provider, ROLE.admin, w.rootId);
    const users = w.steward.count('users');
    const before = allAssignments(w);
    const answer = await w.call(provider, 'users.create', input(acme, ROLE.operator, acme, [acmeDevices[0], globexDevices[0]]));
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['VALIDATION', 'deviceIds.1']);
    expect(answer.ok ? '' : answer.error.message).toMatch(/none of their roles reaches/);
    expect(w.steward.count('users')).toBe(users);
    expect(allAssignments(w)).toEqual(before);
  });

  it('refuses devices for a role that grants no devices.view, and accepts them for one that does', async () => {
    const { w, acme, admin, acmeDevices } = twoTenants(worlds);
    const billing = w.role(acme, ['groups.view', 'billing.view']);
    const refused = await w.call(admin, 'users.create', input(acme, billing, acme, [acmeDevices[0]]));
    expect(refused.ok ? null : [refused.error.code, refused.error.field]).toEqual(['VALIDATION', 'deviceIds.0']);
    expect(refused.ok ? '' : refused.error.message).toMatch(/devices\.view/);
    const created = await w.ok<{ id: string }>(admin, 'users.create', input(acme, ROLE.operator, acme, [acmeDevices[0], acmeDevices[1]]));
    expect(allAssignments(w)).toHaveLength(2);
    expect(allAssignments(w)).toEqual(expect.arrayContaining([{ device_id: acmeDevices[0], user_id: created.id }]));
  });
});
