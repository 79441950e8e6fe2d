import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport, InvitationSent, InvitationSummary } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Issue 16, files and invitations: BOM on CSV exports, JSON kept verbatim, an invitation closed once its email is a member. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company(seatLimit?: number) {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  if (seatLimit !== undefined) w.steward.db.prepare('UPDATE groups SET seat_limit = ? WHERE id = ?').run(seatLimit, acme);
  const admin = w.user('acme-admin', acme);
  w.bind(admin, ROLE.owner, acme);
  return { w, acme, admin };
}

const BOM = '\uFEFF';

describe('CSV exports for spreadsheet programs', () => {
  it('devices and audit CSV start with a UTF-8 byte order mark when asked, not otherwise; the file imports back either way', async () => {
    const { w, acme, admin } = company();
    w.device(acme, 'Müller-PC');
    const plain = await w.ok<{ content: string }>(admin, 'devices.export', { format: 'csv' });
    expect(plain.content.startsWith('name,')).toBe(true);
    const excel = await w.ok<{ content: string }>(admin, 'devices.export', { format: 'csv', bom: true });
    expect(excel.content).toBe(BOM + plain.content);
    const json = await w.ok<{ content: string }>(admin, 'devices.export', { format: 'json', bom: true });
    expect(json.content.startsWith('[')).toBe(true); // JSON never gets one

    const audit = await w.ok<{ content: string }>(admin, 'audit.export', { format: 'csv', bom: true });
    expect(audit.content.startsWith(BOM)).toBe(true);
    expect((await w.ok<{ content: string }>(admin, 'audit.export', { format: 'csv' })).content.startsWith(BOM)).toBe(false);

    w.steward.db.prepare('DELETE FROM devices').run();
    const back = await w.ok<ImportReport>(admin, 'devices.import', { format: 'csv', mode: 'all-or-nothing', content: excel.content });
    expect(back).toMatchObject({ imported: 1, rejectedTotal: 0 });
    expect(w.steward.db.prepare('SELECT name FROM devices').all()).toEqual([{ name: 'Müller-PC' }]);
  });
});

describe('JSON import keeps names verbatim', () => {
  it('a JSON name "\'=x" is stored as "\'=x"; in CSV the apostrophe is the export\'s formula guard and comes off', async () => {
    const { w, acme, admin } = company();
    await w.ok(admin, 'devices.import', {
      format: 'json',
      mode: 'all-or-nothing',
      defaultGroupId: acme,
      content: JSON.stringify([{ name: "'=x", kind: 'server', status: 'ok', os: "'+os" }]),
    });
    await w.ok(admin, 'devices.import', {
      format: 'csv',
      mode: 'all-or-nothing',
      defaultGroupId: acme,
      content: "name,kind,status\r\n'=y,server,ok\r\n",
    });
    expect(w.steward.db.prepare('SELECT name, os FROM devices ORDER BY name').all()).toEqual([
      { name: "'=x", os: "'+os" },
      { name: '=y', os: '' },
    ]);
  });
});

describe('an invitation whose email became a member', () => {
  it('creating the member closes the pending invitation and takes over its seat; its link no longer works', async () => {
    // Two seats: the admin and one pending invitation fill them.
    const { w, acme, admin } = company(2);
    const sent = await w.ok<InvitationSent>(admin, 'invitations.create', { email: 'ann@acme.test', roleId: ROLE.viewer, groupId: acme });
    const created = await w.call(admin, 'users.create', {
      username: 'ann',
      email: 'ANN@acme.test',
      fullName: 'Ann',
      homeGroupId: acme,
      bindings: [],
    });
    expect(created.ok).toBe(true);
    const list = await w.ok<{ invitations: InvitationSummary[] }>(admin, 'invitations.list', {});
    expect(list.invitations.map((i) => [i.email, i.status])).toEqual([['ann@acme.test', 'revoked']]);
    const event = w.steward.db.prepare("SELECT after FROM audit_events WHERE action = 'users.create'").get() as { after: string };
    expect(JSON.parse(event.after)).toMatchObject({ invitationsClosed: 1 });
    const token = sent.link?.split('#/invite/')[1] ?? '';
    const accepted = await w.steward.call('invitations.accept', {
      token,
      username: 'ann2',
      fullName: 'Ann',
      password: 'a perfectly fine passphrase',
    });
    expect(accepted.result.ok).toBe(false);
  });

  it('changing a member’s email to an invited one closes that invitation', async () => {
    const { w, acme, admin } = company();
    const bob = w.user('bob', acme);
    await w.ok(admin, 'invitations.create', { email: 'robert@acme.test', roleId: ROLE.viewer, groupId: acme });
    await w.ok(admin, 'users.update', { id: bob, baseVersion: w.version('user', bob), email: 'robert@acme.test' });
    const pending = await w.ok<{ invitations: InvitationSummary[] }>(admin, 'invitations.list', { status: 'pending' });
    expect(pending.invitations).toEqual([]);
  });
});
