import { afterEach, describe, expect, it } from 'vitest';
import type { GroupDetail, GroupSummary } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Rules of seeds/001 (Group management in Backup Management Console), through the API. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));
function world(): World {
  const w = new World();
  worlds.push(w);
  return w;
}

async function create(w: World, parentId: string, kind: string, name: string): Promise<string> {
  return (await w.ok<{ id: string }>(w.ownerId, 'groups.create', { parentId, kind, name })).id;
}

describe('seed-001: types of groups', () => {
  it('seed-001: the own company is at the root; groups nest distributor → sub-distributor → reseller → end customer, a level may be skipped', async () => {
    const w = world();
    const dist = await create(w, w.rootId, 'distributor', 'Dist');
    const sub = await create(w, dist, 'sub_distributor', 'Sub');
    const reseller = await create(w, sub, 'reseller', 'Reseller');
    const customer = await create(w, reseller, 'customer', 'Customer');
    await create(w, dist, 'customer', 'Direct customer');
    await create(w, customer, 'location', 'Berlin');
    const tree = await w.ok<{ groups: GroupSummary[] }>(w.ownerId, 'groups.tree', {});
    expect(tree.groups[0]).toMatchObject({ id: w.rootId, parentId: null, kind: 'provider' });
    expect(tree.groups.map((g) => g.name)).toEqual(['Provider', 'Dist', 'Direct customer', 'Sub', 'Reseller', 'Customer', 'Berlin']);
  });

  it('seed-001: a level is never inverted, and locations and departments live inside a customer', async () => {
    const w = world();
    const reseller = await create(w, w.rootId, 'reseller', 'Reseller');
    for (const [parent, kind] of [
      [reseller, 'distributor'],
      [reseller, 'location'],
      [w.rootId, 'department'],
      [reseller, 'provider'],
    ] as const) {
      const answer = await w.call(w.ownerId, 'groups.create', { parentId: parent, kind, name: `x-${kind}` });
      expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'kind' } });
    }
  });

  it('seed-001: access to deployment and passphrases depends on the group type; other modules are available everywhere', async () => {
    const w = world();
    const reseller = await create(w, w.rootId, 'reseller', 'Reseller');
    const customer = await create(w, reseller, 'customer', 'Customer');
    const atReseller = await w.ok<GroupDetail>(w.ownerId, 'groups.get', { id: reseller });
    const atCustomer = await w.ok<GroupDetail>(w.ownerId, 'groups.get', { id: customer });
    const byId = (d: GroupDetail) => Object.fromEntries(d.modules.map((m) => [m.id, m.available]));
    expect(byId(atReseller)).toEqual({ deployment: false, backupProfiles: true, groups: true, devices: true, charts: true, users: true });
    expect(byId(atCustomer)).toEqual({ deployment: true, backupProfiles: true, groups: true, devices: true, charts: true, users: true });
    // Whatever the role says: the provider's Owner holds every key, yet not deployment at a reseller.
    const decide = (id: string) =>
      w.ok<{ allowed: boolean }>(w.ownerId, 'access.decide', {
        userId: w.ownerId,
        permission: 'deployment.run',
        target: { type: 'group', id },
      });
    expect(await decide(reseller)).toEqual({ allowed: false });
    expect(await decide(customer)).toEqual({ allowed: true });
    const effective = await w.ok<{ areas: Array<{ area: string; level: string }> }>(w.ownerId, 'access.effective', {
      userId: w.ownerId,
      groupId: reseller,
    });
    expect(effective.areas.find((a) => a.area === 'deployment')?.level).toBe('none');
  });
});

describe('seed-001: removing groups', () => {
  it('seed-001: a group with devices cannot be removed', async () => {
    const w = world();
    const customer = await create(w, w.rootId, 'customer', 'Acme');
    w.device(customer);
    w.device(customer);
    const answer = await w.call(w.ownerId, 'groups.remove', { id: customer });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Cannot remove “Acme”: it has 2 devices. Move or remove them first.' },
    });
    expect(w.steward.count('groups')).toBe(2);
  });

  it('seed-001: a group with groups of its own cannot be removed, and the error says which blocks it and how many', async () => {
    const w = world();
    const reseller = await create(w, w.rootId, 'reseller', 'Resell');
    const customer = await create(w, reseller, 'customer', 'C1');
    await create(w, reseller, 'customer', 'C2');
    w.device(customer);
    expect(await w.call(w.ownerId, 'groups.remove', { id: reseller })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Cannot remove “Resell”: it has 2 child groups. Move or remove them first.' },
    });
  });

  it('seed-001: a group with no devices and no groups is removed, after which it is gone from the tree', async () => {
    const w = world();
    const customer = await create(w, w.rootId, 'customer', 'Empty');
    expect(await w.ok(w.ownerId, 'groups.remove', { id: customer })).toEqual({ removed: true });
    const tree = await w.ok<{ groups: GroupSummary[] }>(w.ownerId, 'groups.tree', {});
    expect(tree.groups.map((g) => g.id)).toEqual([w.rootId]);
    expect(
      w.steward.db.prepare('SELECT count(*) AS n FROM group_closure WHERE descendant = ? OR ancestor = ?').get(customer, customer),
    ).toEqual({ n: 0 });
  });
});

describe('seed-001: editing groups', () => {
  it('seed-001: rename, and change properties: parent group, level and service type', async () => {
    const w = world();
    const distA = await create(w, w.rootId, 'distributor', 'A');
    const distB = await create(w, w.rootId, 'distributor', 'B');
    const reseller = await create(w, distA, 'reseller', 'R');
    const customer = await create(w, reseller, 'customer', 'C');
    await w.ok(w.ownerId, 'groups.update', {
      id: reseller,
      baseVersion: w.version('group', reseller),
      name: 'R renamed',
      serviceType: 'Managed backup',
    });
    await w.ok(w.ownerId, 'groups.move', { id: reseller, parentId: distB });
    await w.ok(w.ownerId, 'groups.update', { id: reseller, baseVersion: w.version('group', reseller), kind: 'sub_distributor' });
    const detail = await w.ok<GroupDetail>(w.ownerId, 'groups.get', { id: customer });
    expect(detail.path.map((g) => g.name)).toEqual(['Provider', 'B', 'R renamed', 'C']);
    expect(detail.path[2]?.kind).toBe('sub_distributor');
    // Never into its own subtree, never breaking the nesting order.
    expect(await w.call(w.ownerId, 'groups.move', { id: distB, parentId: customer })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'parentId' },
    });
    expect(await w.call(w.ownerId, 'groups.move', { id: distA, parentId: distB })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await w.call(w.ownerId, 'groups.update', { id: reseller, baseVersion: w.version('group', reseller), kind: 'customer' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'kind' },
    });
  });

  it('seed-001: names are unique among siblings, whatever their case', async () => {
    const w = world();
    await create(w, w.rootId, 'customer', 'Acme');
    expect(await w.call(w.ownerId, 'groups.create', { parentId: w.rootId, kind: 'customer', name: 'ACME' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name' },
    });
  });

  it('seed-001: company profile, contacts, past and upcoming activities, and branding are kept, with audit before/after', async () => {
    const w = world();
    const customer = await create(w, w.rootId, 'customer', 'Acme');
    const update = {
      id: customer,
      baseVersion: w.version('group', customer),
      profile: {
        address: '1 Main St',
        website: 'https://acme.test',
        billingName: 'Bea Billing',
        billingEmail: 'bills@acme.test',
        billingPhone: '+1 555 0100',
      },
      contacts: [{ name: 'Carl Contact', role: 'IT lead', email: 'carl@acme.test', phone: '' }],
      activities: [
        { date: '2020-01-01', kind: 'call', subject: 'Kick-off', notes: '' },
        { date: '2099-01-01', kind: 'meeting', subject: 'Renewal', notes: 'Bring numbers' },
      ],
      branding: { productName: 'Acme Backup', logo: null, primaryColor: '#aa0000', accentColor: null },
    };
    await w.ok(w.ownerId, 'groups.update', update);
    const detail = await w.ok<GroupDetail>(w.ownerId, 'groups.get', { id: customer });
    expect(detail).toMatchObject({ profile: update.profile, contacts: update.contacts, branding: update.branding });
    expect(detail.activities?.map((a) => a.subject)).toEqual(['Renewal', 'Kick-off']);
    const event = w.steward.db.prepare("SELECT before, after FROM audit_events WHERE action = 'groups.update' ORDER BY seq DESC").get() as {
      before: string;
      after: string;
    };
    expect(JSON.parse(event.after)).toMatchObject({ profile: update.profile });
    expect(JSON.parse(event.before)).toMatchObject({ profile: { address: '' } });
  });

  it('seed-001: bad input names the field and changes nothing', async () => {
    const w = world();
    const customer = await create(w, w.rootId, 'customer', 'Acme');
    const before = w.steward.count('audit_events');
    for (const [input, field] of [
      [
        { id: customer, branding: { productName: 'x', logo: 'data:text/html;base64,AAAA', primaryColor: null, accentColor: null } },
        'branding.logo',
      ],
      [{ id: customer, branding: { productName: 'x', logo: null, primaryColor: 'red', accentColor: null } }, 'branding.primaryColor'],
      [
        { id: customer, profile: { address: '', website: 'javascript:alert(1)', billingName: '', billingEmail: '', billingPhone: '' } },
        'profile.website',
      ],
      [{ id: customer, activities: [{ date: '2020-13-45', kind: 'call', subject: 's', notes: '' }] }, 'activities.0.date'],
      [{ id: customer, contacts: [{ name: '', role: '', email: '', phone: '' }] }, 'contacts.0.name'],
      [{ id: customer, name: 'x'.repeat(500) }, 'name'],
    ] as const) {
      expect(await w.call(w.ownerId, 'groups.update', { ...input, baseVersion: 1 })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field },
      });
    }
    expect(w.steward.count('audit_events')).toBe(before);
  });
});

describe('branding', () => {
  it('users homed under a branded group see its branding; others do not', async () => {
    const w = world();
    const customer = await create(w, w.rootId, 'customer', 'Acme');
    const location = await create(w, customer, 'location', 'Berlin');
    await w.ok(w.ownerId, 'groups.update', {
      id: customer,
      baseVersion: w.version('group', customer),
      branding: { productName: 'Acme Backup', logo: null, primaryColor: '#112233', accentColor: null },
    });
    const inside = w.user('ines', location);
    w.bind(inside, ROLE.viewer, location);
    const status = await w.ok<{ branding: unknown }>(inside, 'auth.status', {});
    expect(status.branding).toMatchObject({ productName: 'Acme Backup', primaryColor: '#112233', fromGroupId: customer });
    expect((await w.ok<{ branding: unknown }>(w.ownerId, 'auth.status', {})).branding).toBeNull();
  });
});
