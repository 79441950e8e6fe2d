import { afterEach, describe, expect, it } from 'vitest';
import type { UserSummary } from '../../shared/contract';
import { member } from '../helpers/people';
import { ROLE, World } from '../helpers/world';

/** Rules of seeds/000 (BackupEngine team management) that the access engine decides. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company() {
  const w = new World();
  worlds.push(w);
  const customer = w.group(w.rootId, 'customer', 'Acme');
  const people = {
    owner: member(w, 'owner', customer, ROLE.owner),
    admin: member(w, 'admin', customer, ROLE.admin),
    operator: member(w, 'operator', customer, ROLE.operator),
    viewer: member(w, 'viewer', customer, ROLE.viewer),
  };
  const devices = {
    shared: w.device(customer, 'shared'),
    operatorOnly: w.device(customer, 'op-only'),
    unassigned: w.device(customer, 'nobody'),
  };
  w.assign(devices.shared, people.operator);
  w.assign(devices.shared, people.viewer);
  w.assign(devices.operatorOnly, people.operator);
  return { w, customer, people, devices };
}

/** What the user gets asking about themselves; an object they may not see is NOT_FOUND, which is a no. */
async function allowed(w: World, userId: string, permission: string, type: string, id: string): Promise<boolean> {
  const answer = await w.call<{ allowed: boolean }>(userId, 'access.decide', { userId, permission, target: { type, id } });
  if (!answer.ok && answer.error.code === 'NOT_FOUND') return false;
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value.allowed;
}

describe('seed-000: roles and permissions', () => {
  it('seed-000: Owner has full control including billing and ownership transfer', async () => {
    const { w, customer, people } = company();
    for (const key of ['billing.manage', 'ownership.transfer', 'users.create', 'policies.manage', 'restores.run', 'backups.run']) {
      expect(await allowed(w, people.owner, key, 'group', customer)).toBe(true);
    }
  });

  it('seed-000: Admin manages team members and backup policies and restores, but cannot modify billing or transfer ownership', async () => {
    const { w, customer, people } = company();
    for (const key of ['users.create', 'users.edit', 'users.delete', 'policies.manage', 'restores.run'])
      expect(await allowed(w, people.admin, key, 'group', customer)).toBe(true);
    expect(await allowed(w, people.admin, 'billing.manage', 'group', customer)).toBe(false);
    expect(await allowed(w, people.admin, 'ownership.transfer', 'group', customer)).toBe(false);
  });

  it('seed-000: Operator runs manual backups and restores, but cannot manage team members or change account settings', async () => {
    const { w, customer, people } = company();
    expect(await allowed(w, people.operator, 'backups.run', 'group', customer)).toBe(true);
    expect(await allowed(w, people.operator, 'restores.run', 'group', customer)).toBe(true);
    for (const key of ['users.create', 'users.edit', 'users.delete', 'settings.manage', 'roles.create']) {
      expect(await allowed(w, people.operator, key, 'group', customer)).toBe(false);
    }
  });

  it('seed-000: Viewer has read-only access and cannot start backups or restores or change any settings', async () => {
    const { w, customer, people } = company();
    expect(await allowed(w, people.viewer, 'dashboard.view', 'group', customer)).toBe(true);
    expect(await allowed(w, people.viewer, 'jobs.view', 'group', customer)).toBe(true);
    for (const key of ['backups.run', 'restores.run', 'jobs.run', 'settings.manage', 'policies.manage', 'devices.assign']) {
      expect(await allowed(w, people.viewer, key, 'group', customer)).toBe(false);
    }
  });

  it('seed-000: only one Owner per account', async () => {
    const { w, customer, people } = company();
    expect(() => w.bind(people.admin, ROLE.owner, customer)).toThrow(/UNIQUE/);
    const answer = await w.call(w.ownerId, 'users.setRoles', {
      userId: people.admin,
      baseVersion: w.version('user', people.admin),
      bindings: [{ roleId: ROLE.owner, groupId: customer }],
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /ownership transfer/ } });
  });
});

describe('seed-000: device assignment', () => {
  it('seed-000: Owners and Admins see all devices; Operators and Viewers only their assigned ones', async () => {
    const { w, people, devices } = company();
    const sees = async (userId: string) => {
      const out: string[] = [];
      for (const [name, id] of Object.entries(devices)) if (await allowed(w, userId, 'devices.view', 'device', id)) out.push(name);
      return out;
    };
    expect(await sees(people.owner)).toEqual(['shared', 'operatorOnly', 'unassigned']);
    expect(await sees(people.admin)).toEqual(['shared', 'operatorOnly', 'unassigned']);
    expect(await sees(people.operator)).toEqual(['shared', 'operatorOnly']);
    expect(await sees(people.viewer)).toEqual(['shared']);
  });

  it('seed-000: a device assigned to several members is visible to each; an unassigned one only to Owners and Admins', async () => {
    const { w, devices } = company();
    const who = async (id: string) =>
      (
        await w.ok<{ subjects: Array<{ fullName: string }> }>(w.ownerId, 'access.whoCan', {
          permission: 'devices.view',
          target: { type: 'device', id },
        })
      ).subjects
        .map((s) => s.fullName)
        .sort();
    expect(await who(devices.shared)).toEqual(['admin', 'operator', 'owner', 'owner', 'viewer']);
    expect(await who(devices.unassigned)).toEqual(['admin', 'owner', 'owner']);
  });

  it('seed-000: a device hidden from a member is reported as not found, not as forbidden', async () => {
    const { w, people, devices } = company();
    const answer = await w.call(people.viewer, 'access.explain', {
      userId: people.viewer,
      permission: 'devices.view',
      target: { type: 'device', id: devices.unassigned },
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('the tree counts only what the caller may see', async () => {
    const { w, customer, people } = company();
    const tree = await w.ok<{ groups: Array<{ id: string; deviceCount: number | null; userCount: number | null }> }>(
      people.viewer,
      'groups.tree',
      {},
    );
    expect(tree.groups).toEqual([expect.objectContaining({ id: customer, deviceCount: 1, userCount: null })]);
    const adminTree = await w.ok<{ groups: Array<{ id: string; deviceCount: number | null; userCount: number | null }> }>(
      people.admin,
      'groups.tree',
      {},
    );
    expect(adminTree.groups).toEqual([expect.objectContaining({ id: customer, deviceCount: 3, userCount: 4 })]);
  });
});

describe('explain and who-can', () => {
  it('names the deciding binding, or the first missing link, in words', async () => {
    const { w, customer, people } = company();
    const explain = async (userId: string, permission: string, type = 'group', id = customer) =>
      (await w.ok<{ explanation: string }>(w.ownerId, 'access.explain', { userId, permission, target: { type, id } })).explanation;
    expect(await explain(people.admin, 'users.create')).toMatch(
      /^Yes\. .* holds Admin at Acme, which covers Acme \(Provider › Acme\), and Admin includes “Create and invite users”\.$/,
    );
    expect(await explain(people.operator, 'users.create')).toMatch(
      /^No\. .* holds Operator at Acme, which does not include “Create and invite users”\.$/,
    );
    const other = w.group(w.rootId, 'customer', 'Globex');
    expect(await explain(people.admin, 'users.view', 'group', other)).toMatch(
      /^No\. None of .*'s roles is on the path of Globex \(Provider › Globex\)\. .* holds: Admin at Acme\.$/,
    );
  });

  it('a member without users.view sees only themselves in who-can, the others counted, not named (R13), and cannot ask about others', async () => {
    const { w, customer, people } = company();
    const answer = await w.call(people.operator, 'access.whoCan', { permission: 'devices.view', target: { type: 'group', id: customer } });
    // The provider's Owner and the company's Owner, Admin and Viewer see devices there too.
    expect(answer).toMatchObject({ ok: true, value: { subjects: [{ userId: people.operator }], hidden: 4 } });
    expect(
      await w.call(people.operator, 'access.explain', {
        userId: people.admin,
        permission: 'users.view',
        target: { type: 'group', id: customer },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('lists use the same rule', () => {
  it('users.list shows only users homed where the caller holds users.view', async () => {
    const { w, people } = company();
    const other = w.group(w.rootId, 'customer', 'Globex');
    w.user('stranger', other);
    const list = await w.ok<{ users: UserSummary[]; total: number }>(people.admin, 'users.list', {});
    expect(list.total).toBe(4);
    expect(list.users.map((u) => u.fullName).sort()).toEqual(['admin', 'operator', 'owner', 'viewer']);
    expect((await w.ok<{ total: number }>(w.ownerId, 'users.list', {})).total).toBe(6);
    expect((await w.ok<{ total: number }>(w.ownerId, 'users.list', { query: 'strang' })).total).toBe(1);
    expect((await w.ok<{ total: number }>(people.viewer, 'users.list', {})).total).toBe(0);
  });
});
