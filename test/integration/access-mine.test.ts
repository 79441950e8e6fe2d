import { afterEach, describe, expect, it } from 'vitest';
import { escalationGaps } from '../../shared/access/escalation';
import type { MyAccess } from '../../shared/contract';
import { World } from '../helpers/world';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function world(): World {
  const w = new World();
  cleanups.push(() => w.cleanup());
  return w;
}

describe('access.mine: what the signed-in person holds, for greying out controls', () => {
  it('answers anyone about themselves, even without groups.view or users.view, with paths to the root', async () => {
    const w = world();
    const customer = w.group(w.rootId, 'customer', 'Acme');
    const location = w.group(customer, 'location', 'Acme HQ');
    const auditor = w.user('auditor', location);
    const role = w.role(customer, ['audit.view'], 'assigned', 'Auditor');
    w.bind(auditor, role, customer);

    const mine = await w.ok<MyAccess>(auditor, 'access.mine', {});
    expect(mine.home).toEqual({ groupId: location, path: [location, customer, w.rootId], kind: 'location' });
    expect(mine.bindings).toEqual([
      {
        groupId: customer,
        groupName: 'Acme',
        path: [customer, w.rootId],
        kind: 'customer',
        role: { id: role, name: 'Auditor', permissions: ['audit.view'], deviceVisibility: 'assigned' },
      },
    ]);
    // The same question through access.effective is refused: it needs groups.view.
    expect(await w.call(auditor, 'access.effective', { userId: auditor, groupId: customer })).toMatchObject({ ok: false });
  });

  it('gives the console what the server’s escalation guard uses: the same gaps for the same grant', async () => {
    const w = world();
    const customer = w.group(w.rootId, 'customer', 'Acme');
    const editor = w.user('editor', customer);
    // groups.view too: without it the customer is invisible to the editor and the refusal is NOT_FOUND before any gap is named.
    w.bind(editor, w.role(customer, ['groups.view', 'roles.view', 'roles.create', 'users.view', 'devices.view'], 'assigned'), customer);
    const mine = await w.ok<MyAccess>(editor, 'access.mine', {});
    const bindings = mine.bindings.map((b) => ({
      groupId: b.groupId,
      role: { ...b.role, permissions: new Set(b.role.permissions) },
    }));
    const wanted = ['users.view', 'billing.manage', 'devices.view'];
    const gaps = escalationGaps(bindings, { permissions: wanted, deviceVisibility: 'scope' }, { path: [customer, w.rootId] });
    expect(gaps).toEqual([
      'users.view (for every device, not only assigned ones)',
      'billing.manage',
      'devices.view (for every device, not only assigned ones)',
    ]);
    const refused = await w.call(editor, 'roles.create', {
      ownerGroupId: customer,
      name: 'Too much',
      deviceVisibility: 'scope',
      permissions: wanted,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!refused.ok) for (const gap of gaps) expect(refused.error.message).toContain(gap);
  });
});

describe('audit.export needs audit.export, not only audit.view (seed 002: the server refuses what the console greys out)', () => {
  it('refuses a reader without it, naming the permission; the refusal is audited as denied', async () => {
    const w = world();
    const reader = w.user('reader', w.rootId);
    w.bind(reader, w.role(w.rootId, ['audit.view']), w.rootId);
    const refused = await w.call(reader, 'audit.export', { format: 'csv' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('(audit.export)') } });
    expect(w.steward.db.prepare("SELECT outcome FROM audit_events WHERE action = 'audit.export'").all()).toEqual([{ outcome: 'denied' }]);
    expect(await w.call(reader, 'audit.list', {})).toMatchObject({ ok: true });
  });

  it('exports only events at groups where the reader holds audit.export', async () => {
    const w = world();
    const alpha = w.group(w.rootId, 'customer', 'Alpha');
    const beta = w.group(w.rootId, 'customer', 'Beta');
    const reader = w.user('reader', w.rootId);
    w.bind(reader, w.role(w.rootId, ['audit.view', 'groups.view']), w.rootId);
    w.bind(reader, w.role(alpha, ['audit.export']), alpha);
    await w.ok(w.ownerId, 'groups.update', { id: alpha, baseVersion: w.version('group', alpha), name: 'Alpha Renamed' });
    await w.ok(w.ownerId, 'groups.update', { id: beta, baseVersion: w.version('group', beta), name: 'Beta Renamed' });
    const view = await w.ok<{ total: number }>(reader, 'audit.list', { action: 'groups.update' });
    expect(view.total).toBe(2);
    const exported = await w.ok<{ rows: number; content: string }>(reader, 'audit.export', { format: 'csv', action: 'groups.update' });
    expect(exported.rows).toBe(1);
    expect(exported.content).toContain('Alpha Renamed');
    expect(exported.content).not.toContain('Beta');
  });
});
