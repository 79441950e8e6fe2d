import { afterEach, describe, expect, it } from 'vitest';
import type { GroupDetail } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Finding 6: company.view and billing.view guard the company parts of groups.get. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const profile = {
  address: 'Main St 1',
  website: 'https://acme.test',
  billingName: 'Bill Payer',
  billingEmail: 'bills@acme.test',
  billingPhone: '+1 555',
};

async function acme() {
  const w = new World();
  worlds.push(w);
  const customer = w.group(w.rootId, 'customer', 'Acme');
  await w.ok(w.ownerId, 'groups.update', {
    id: customer,
    baseVersion: w.version('group', customer),
    profile,
    contacts: [{ name: 'Carol', role: 'CTO', email: 'carol@acme.test', phone: '' }],
    activities: [{ date: '2026-01-05', kind: 'call', subject: 'Renewal', notes: 'Asked for a discount' }],
    branding: { productName: 'Acme Backup', logo: null, primaryColor: null, accentColor: null },
  });
  const person = (keys: string[]) => {
    const id = w.user('reader', customer);
    w.bind(id, w.role(customer, keys), customer);
    return id;
  };
  return { w, customer, person };
}

describe('groups.get: the company parts only to company.view, the billing contact only to billing.view', () => {
  it('a Viewer reads the group but not its profile, contacts, activity notes, branding or billing contact', async () => {
    const { w, customer } = await acme();
    const viewer = w.user('viewer', customer);
    w.bind(viewer, ROLE.viewer, customer);
    const detail = await w.ok<GroupDetail>(viewer, 'groups.get', { id: customer });
    expect(detail).toMatchObject({ name: 'Acme', profile: null, contacts: null, activities: null, branding: null });
    expect(detail.visible).toEqual({ company: false, billing: false });
    expect(JSON.stringify(detail)).not.toMatch(/Bill Payer|Carol|discount|Acme Backup|Main St/);
  });

  it('company.view without billing.view: the profile, contacts, activities and branding, without the billing fields', async () => {
    const { w, customer, person } = await acme();
    const reader = person(['groups.view', 'company.view']);
    const detail = await w.ok<GroupDetail>(reader, 'groups.get', { id: customer });
    expect(detail.profile).toEqual({ address: 'Main St 1', website: 'https://acme.test' });
    expect(detail.contacts?.map((c) => c.name)).toEqual(['Carol']);
    expect(detail.activities?.map((a) => a.subject)).toEqual(['Renewal']);
    expect(detail.visible).toEqual({ company: true, billing: false });
    const both = await w.ok<GroupDetail>(person(['groups.view', 'company.view', 'billing.view']), 'groups.get', { id: customer });
    expect(both.profile).toEqual(profile);
  });

  it('an editor without billing.view saves the profile and the billing contact is kept; writing it needs billing.view', async () => {
    const { w, customer, person } = await acme();
    const editor = person(['groups.view', 'company.view', 'company.manage']);
    await w.ok(editor, 'groups.update', {
      id: customer,
      baseVersion: w.version('group', customer),
      profile: { address: 'New St 2', website: '' },
    });
    const refused = await w.call(editor, 'groups.update', {
      id: customer,
      baseVersion: w.version('group', customer),
      profile: { address: 'x', website: '', billingName: 'Mallory' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'profile.billingName' } });
    const stored = await w.ok<GroupDetail>(w.ownerId, 'groups.get', { id: customer });
    expect(stored.profile).toEqual({ ...profile, address: 'New St 2', website: '' });
  });
});

describe('R20 in the audit trail: a group event shows company details only to company.view, the billing contact only to billing.view', () => {
  type Page = { events: Array<{ action: string; targetType: string | null; after: Record<string, unknown> | null }> };
  const updateOf = (page: Page) => page.events.find((e) => e.action === 'groups.update' && e.targetType === 'group');

  it('an audit reader without company.view sees that the profile, contacts and notes changed, not what they say; nor in an export', async () => {
    const { w, person } = await acme();
    const auditor = person(['audit.view', 'audit.export', 'groups.view']);
    const after = updateOf(await w.ok<Page>(auditor, 'audit.list', {}))?.after;
    expect(after).toMatchObject({
      profile: '(hidden: needs company.view)',
      contacts: '(hidden: needs company.view)',
      activities: '(hidden: needs company.view)',
      branding: '(hidden: needs company.view)',
    });
    const exported = await w.ok<{ content: string }>(auditor, 'audit.export', { format: 'csv' });
    for (const secret of ['Bill Payer', 'bills@acme.test', 'carol@acme.test', 'Main St 1']) {
      expect(JSON.stringify(after)).not.toContain(secret);
      expect(exported.content).not.toContain(secret);
    }
  });

  it('with company.view but not billing.view the profile shows, its billing contact does not', async () => {
    const { w, person } = await acme();
    const auditor = person(['audit.view', 'groups.view', 'company.view']);
    const profileAfter = updateOf(await w.ok<Page>(auditor, 'audit.list', {}))?.after?.profile;
    expect(profileAfter).toMatchObject({ address: 'Main St 1', billingName: '(hidden: needs billing.view)' });
    expect(JSON.stringify(profileAfter)).not.toContain('bills@acme.test');
  });

  it('with both keys the whole event reads as stored, and audit.verify still holds', async () => {
    const { w, person } = await acme();
    const auditor = person(['audit.view', 'groups.view', 'company.view', 'billing.view']);
    expect(updateOf(await w.ok<Page>(auditor, 'audit.list', {}))?.after?.profile).toMatchObject(profile);
    expect(await w.ok(w.ownerId, 'audit.verify', {})).toMatchObject({ intact: true });
  });
});
