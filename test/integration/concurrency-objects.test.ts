import { afterEach, describe, expect, it } from 'vitest';
import type { GroupDetail, InvitationSent, InvitationSummary, SettingsView, UserDetail } from '../../shared/contract';
import { digest } from '../../main/security/tokens';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 12: group profiles, settings, users and invitations carry the version an editor
 * loaded; an update from an older copy is CONFLICT on `baseVersion` naming what changed
 * since and who changed it, and writes nothing (each test re-reads the stored object).
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  // A company takes members only once it has its Owner (R11).
  w.bind(w.user('olga', acme), ROLE.owner, acme);
  const ann = w.user('ann', acme);
  const bob = w.user('bob', acme);
  w.bind(ann, ROLE.admin, acme);
  w.bind(bob, ROLE.admin, acme);
  const username = (userId: string) =>
    (w.steward.db.prepare('SELECT username FROM users WHERE id = ?').get(userId) as { username: string }).username;
  return { w, acme, ann, bob, username };
}

type Refused = { ok: false; error: { code: string; message: string; field?: string } };
function refusal(result: { ok: boolean }): Refused['error'] {
  expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'baseVersion' } });
  return (result as Refused).error;
}

const contact = (name: string) => ({ name, role: 'IT', email: '', phone: '' });

describe('group profiles: optimistic concurrency', () => {
  it('a profile saved from a copy older than the stored group is CONFLICT naming the contacts changed since and by whom; the removed contact stays removed', async () => {
    const { w, acme, ann, bob, username } = company();
    await w.ok(ann, 'groups.update', { id: acme, baseVersion: 1, contacts: [contact('Carl'), contact('Dana')] });
    const annCopy = await w.ok<GroupDetail>(ann, 'groups.get', { id: acme });
    const bobCopy = await w.ok<GroupDetail>(bob, 'groups.get', { id: acme });
    expect(bobCopy.version).toBe(2);
    // Ann removes a contact; Bob, from his old copy, adds one.
    expect(await w.ok(ann, 'groups.update', { id: acme, baseVersion: annCopy.version, contacts: [contact('Carl')] })).toEqual({
      id: acme,
      version: 3,
    });
    const refused = await w.call(bob, 'groups.update', {
      id: acme,
      baseVersion: bobCopy.version,
      contacts: [...(bobCopy.contacts ?? []), contact('Eve')],
    });
    const error = refusal(refused);
    expect(error.message).toContain('“Acme” changed since version 2');
    expect(error.message).toContain(`version 3 by ${username(ann)} changed the contacts`);

    const stored = await w.ok<GroupDetail>(bob, 'groups.get', { id: acme });
    expect(stored.contacts?.map((c) => c.name)).toEqual(['Carl']);
    expect(stored.version).toBe(3);
  });

  it('each changed section is named; a save that changes nothing makes no new version', async () => {
    const { w, acme, ann, bob, username } = company();
    const profile = { address: '1 Main St', website: '', billingName: '', billingEmail: '', billingPhone: '' };
    expect(await w.ok(ann, 'groups.update', { id: acme, baseVersion: 1, name: 'Acme Ltd', profile })).toEqual({ id: acme, version: 2 });
    expect(await w.ok(ann, 'groups.update', { id: acme, baseVersion: 2, profile })).toEqual({ id: acme, version: 2 });
    const error = refusal(await w.call(bob, 'groups.update', { id: acme, baseVersion: 1, serviceType: 'Cloud' }));
    expect(error.message).toContain(`version 2 by ${username(ann)} changed the name and the profile`);
    const stored = await w.ok<GroupDetail>(bob, 'groups.get', { id: acme });
    expect([stored.name, stored.serviceType, stored.version]).toEqual(['Acme Ltd', '', 2]);
  });

  it('a move carries no base version but makes a new one, so an edit from before the move is refused saying it moved', async () => {
    const { w, acme, ann, bob } = company();
    const reseller = w.group(w.rootId, 'reseller', 'Resell');
    expect(await w.ok(w.ownerId, 'groups.move', { id: acme, parentId: reseller })).toEqual({ id: acme, version: 2 });
    const error = refusal(await w.call(bob, 'groups.update', { id: acme, baseVersion: 1, name: 'Acme 2' }));
    // The provider's Owner is above Acme's admins, who may not see them (R13).
    expect(error.message).toContain('version 2 by (someone you may not see) changed its place in the tree');
    expect((await w.ok<GroupDetail>(ann, 'groups.get', { id: acme })).name).toBe('Acme');
  });
});

describe('settings: optimistic concurrency', () => {
  it('settings saved from a copy older than the stored settings are CONFLICT naming the setting changed since; both values stay as stored', async () => {
    const { w, username } = company();
    const staff = w.user('staff', w.rootId);
    w.bind(staff, ROLE.admin, w.rootId);
    const ownerCopy = await w.ok<SettingsView>(w.ownerId, 'settings.get', {});
    const staffCopy = await w.ok<SettingsView>(staff, 'settings.get', {});
    expect(staffCopy.version).toBe(1);
    expect(
      (await w.ok<SettingsView>(w.ownerId, 'settings.update', { baseVersion: ownerCopy.version, idleTimeoutMinutes: 30 })).version,
    ).toBe(2);
    const error = refusal(
      await w.call(staff, 'settings.update', { baseVersion: staffCopy.version, idleTimeoutMinutes: 15, invitationExpiryHours: 48 }),
    );
    expect(error.message).toContain('The settings changed since version 1');
    expect(error.message).toContain(`version 2 by ${username(w.ownerId)} changed the idle timeout`);
    const stored = await w.ok<SettingsView>(staff, 'settings.get', {});
    expect([stored.idleTimeoutMinutes, stored.invitationExpiryHours, stored.version]).toEqual([30, 24, 2]);
  });

  it('a settings update without the version it was based on is VALIDATION on baseVersion and changes nothing', async () => {
    const { w } = company();
    expect(await w.call(w.ownerId, 'settings.update', { idleTimeoutMinutes: 30 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'baseVersion' },
    });
    expect((await w.ok<SettingsView>(w.ownerId, 'settings.get', {})).idleTimeoutMinutes).toBe(15);
  });
});

describe('users: optimistic concurrency', () => {
  it('roles saved from a copy older than the stored person are CONFLICT naming the roles changed since; the removed binding stays removed', async () => {
    const { w, acme, ann, bob, username } = company();
    const site = w.group(acme, 'location', 'Site');
    const carl = w.user('carl', acme);
    w.bind(carl, ROLE.viewer, acme);
    w.bind(carl, ROLE.viewer, site);
    const annCopy = await w.ok<UserDetail>(ann, 'users.get', { id: carl });
    const bobCopy = await w.ok<UserDetail>(bob, 'users.get', { id: carl });
    expect(bobCopy.version).toBe(1);
    await w.ok(ann, 'users.setRoles', { userId: carl, baseVersion: annCopy.version, bindings: [{ roleId: ROLE.viewer, groupId: acme }] });
    const error = refusal(
      await w.call(bob, 'users.setRoles', {
        userId: carl,
        baseVersion: bobCopy.version,
        bindings: [...bobCopy.bindings.map((b) => ({ roleId: b.roleId, groupId: b.groupId })), { roleId: ROLE.operator, groupId: site }],
      }),
    );
    expect(error.message).toContain(`version 2 by ${username(ann)} changed the roles`);
    const stored = await w.ok<UserDetail>(bob, 'users.get', { id: carl });
    expect(stored.bindings.map((b) => `${b.roleId}@${b.groupId}`)).toEqual([`${ROLE.viewer}@${acme}`]);
    expect(stored.version).toBe(2);
  });

  it('account fields and departments from a stale copy are refused the same way, naming the fields changed since', async () => {
    const { w, acme, ann, bob, username } = company();
    const dept = w.group(acme, 'department', 'Sales');
    const carl = w.user('carl', acme);
    w.bind(carl, ROLE.viewer, acme);
    expect(await w.ok(ann, 'users.update', { id: carl, baseVersion: 1, fullName: 'Carl Carlsen', company: 'Acme' })).toEqual({
      id: carl,
      version: 2,
    });
    const fields = refusal(await w.call(bob, 'users.update', { id: carl, baseVersion: 1, fullName: 'Carl C.' }));
    expect(fields.message).toContain(`The account “${username(carl)}” changed since version 1`);
    expect(fields.message).toContain(`version 2 by ${username(ann)} changed the full name and the company`);
    const departments = refusal(await w.call(bob, 'users.setDepartments', { userId: carl, baseVersion: 1, departmentIds: [dept] }));
    expect(departments.message).toContain('changed the full name');
    const stored = await w.ok<UserDetail>(bob, 'users.get', { id: carl });
    expect([stored.fullName, stored.company, stored.departments, stored.version]).toEqual(['Carl Carlsen', 'Acme', [], 2]);
  });

  it('disabling carries no base version (revocations win) and makes a new one, so an edit from before it is refused naming the status', async () => {
    const { w, acme, ann, bob, username } = company();
    const carl = w.user('carl', acme);
    w.bind(carl, ROLE.viewer, acme);
    expect(await w.ok(ann, 'users.setStatus', { id: carl, status: 'disabled' })).toEqual({ id: carl, status: 'disabled', version: 2 });
    const error = refusal(await w.call(bob, 'users.update', { id: carl, baseVersion: 1, fullName: 'Carl C.' }));
    expect(error.message).toContain(`version 2 by ${username(ann)} changed the status`);
    const list = await w.ok<{ users: Array<{ id: string; fullName: string; status: string; version: number }> }>(bob, 'users.list', {});
    expect(list.users.find((u) => u.id === carl)).toMatchObject({ fullName: 'carl', status: 'disabled', version: 2 });
  });
});

describe('invitations: optimistic concurrency', () => {
  it('a resend from a copy older than the stored invitation is CONFLICT naming the resend; the link the other admin sent keeps working', async () => {
    const { w, acme, ann, bob, username } = company();
    const created = await w.ok<InvitationSent>(ann, 'invitations.create', { email: 'new@acme.test', roleId: ROLE.viewer, groupId: acme });
    expect(created.invitation.version).toBe(1);
    const resent = await w.ok<InvitationSent>(ann, 'invitations.resend', { id: created.invitation.id, baseVersion: 1 });
    expect(resent.invitation).toMatchObject({ version: 2, sendCount: 2 });
    const error = refusal(await w.call(bob, 'invitations.resend', { id: created.invitation.id, baseVersion: 1 }));
    expect(error.message).toContain('The invitation for new@acme.test changed since version 1');
    expect(error.message).toContain(`version 2 by ${username(ann)} changed the link`);
    const token = resent.link?.split('/#/invite/')[1] ?? '';
    const stored = w.steward.db.prepare('SELECT send_count, token_hash, version FROM invitations WHERE id = ?').get(created.invitation.id);
    expect(stored).toEqual({ send_count: 2, token_hash: digest(token), version: 2 });
  });

  it('revoking carries no base version (revocations win) and shows as a new version in the list', async () => {
    const { w, acme, ann, bob } = company();
    const created = await w.ok<InvitationSent>(ann, 'invitations.create', { email: 'new@acme.test', roleId: ROLE.viewer, groupId: acme });
    await w.ok(ann, 'invitations.resend', { id: created.invitation.id, baseVersion: 1 });
    expect(await w.ok(bob, 'invitations.revoke', { id: created.invitation.id })).toEqual({ id: created.invitation.id });
    const { invitations } = await w.ok<{ invitations: InvitationSummary[] }>(bob, 'invitations.list', {});
    expect(invitations.find((i) => i.id === created.invitation.id)).toMatchObject({ status: 'revoked', version: 3 });
  });
});
