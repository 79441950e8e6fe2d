import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvitationSent, InvitationSummary, UserDetail } from '../../shared/contract';
import { verifyPassword } from '../../main/features/auth/passwords';
import { codeFor, manualClock } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/** Team rules of seeds 000, 002 and 004, through the dispatcher as an API client sees them. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company(options: { seatLimit?: number } = {}) {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  if (options.seatLimit !== undefined) w.steward.db.prepare('UPDATE groups SET seat_limit = ? WHERE id = ?').run(options.seatLimit, acme);
  const owner = w.user('acme-owner', acme);
  w.bind(owner, ROLE.owner, acme);
  const admin = w.user('acme-admin', acme);
  w.bind(admin, ROLE.admin, acme);
  const operator = w.user('acme-operator', acme);
  w.bind(operator, ROLE.operator, acme);
  return { w, acme, owner, admin, operator };
}

const newUser = (groupId: string, extra: Record<string, unknown> = {}) => ({
  username: 'newbie',
  email: 'newbie@acme.test',
  fullName: 'New Bie',
  homeGroupId: groupId,
  bindings: [{ roleId: ROLE.viewer, groupId }],
  ...extra,
});

describe('seed-002: creating users', () => {
  it('seed-002: create user generates a random password, returned once, stored only as a hash, never audited', async () => {
    const { w, acme, admin } = company();
    const created = await w.ok<{ id: string; password: string }>(admin, 'users.create', newUser(acme, { company: 'Acme Ltd' }));
    expect(created.password).toMatch(/^[A-Za-z2-9]{20}$/);
    const row = w.steward.db.prepare('SELECT password_hash, company FROM users WHERE id = ?').get(created.id) as {
      password_hash: string;
      company: string;
    };
    expect(row.company).toBe('Acme Ltd');
    expect(await verifyPassword(created.password, row.password_hash)).toBe(true);
    expect(JSON.stringify(w.steward.db.prepare('SELECT * FROM audit_events').all())).not.toContain(created.password);
  });

  it('seed-002: “Create user” is refused when the role lacks create_additional_users, naming it', async () => {
    const { w, acme, operator } = company();
    const answer = await w.call(operator, 'users.create', newUser(acme));
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /does not include “Create and invite users”/ } });
    const viewerOfUsers = w.user('lister', acme);
    w.bind(viewerOfUsers, w.role(w.rootId, ['users.view', 'groups.view']), acme);
    expect(await w.call(viewerOfUsers, 'users.create', newUser(acme))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: /Create and invite users/ },
    });
  });

  it('seed-002: scope to specific servers and storages is expressed as device assignments', async () => {
    const { w, acme, admin } = company();
    const server = w.device(acme, 'srv-01');
    const created = await w.ok<{ id: string }>(
      admin,
      'users.create',
      newUser(acme, { bindings: [{ roleId: ROLE.operator, groupId: acme }], deviceIds: [server] }),
    );
    const sees = await w.ok<{ allowed: boolean }>(created.id, 'access.decide', {
      userId: created.id,
      permission: 'devices.view',
      target: { type: 'device', id: server },
    });
    expect(sees.allowed).toBe(true);
  });

  it('bad input gets a field-level error and changes nothing', async () => {
    const { w, acme, admin } = company();
    const other = w.group(w.rootId, 'customer', 'Globex');
    const before = { users: w.steward.count('users'), audit: w.steward.count('audit_events') };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [newUser(acme, { email: 'not an email' }), 'VALIDATION', 'email'],
      [newUser(acme, { username: 'acme-admin-u-3' }), 'CONFLICT', 'username'],
      [newUser(acme, { bindings: [{ roleId: 'no-such-role', groupId: acme }] }), 'NOT_FOUND', 'bindings.0.roleId'],
      // A group the admin may not see is NOT_FOUND before anything is said about it (R13).
      [newUser(acme, { bindings: [{ roleId: ROLE.viewer, groupId: other }] }), 'NOT_FOUND', 'bindings.0.groupId'],
      [newUser(other), 'NOT_FOUND', 'homeGroupId'],
      [newUser(acme, { fullName: 'x'.repeat(300) }), 'VALIDATION', 'fullName'],
      [newUser(acme, { username: 'has spaces' }), 'VALIDATION', 'username'],
      [newUser(acme, { bindings: [{ roleId: ROLE.owner, groupId: acme }] }), 'FORBIDDEN', 'bindings.0.roleId'],
    ];
    const dup = w.steward.db.prepare('SELECT username FROM users WHERE id = ?').get(admin) as { username: string };
    const first = cases[1];
    if (first) first[0] = newUser(acme, { username: dup.username });
    for (const [input, code, field] of cases) {
      const answer = await w.call(admin, 'users.create', input);
      expect(answer, JSON.stringify(input).slice(0, 80)).toMatchObject({ ok: false, error: { code, field } });
    }
    // Refusals decided against stored state are recorded as denied attempts; input errors leave no trace.
    const denied = w.steward.db.prepare('SELECT outcome, count(*) AS n FROM audit_events WHERE seq > ? GROUP BY outcome').all(before.audit);
    expect({ users: w.steward.count('users'), denied }).toEqual({ users: before.users, denied: [{ outcome: 'denied', n: 5 }] });
  });
});

describe('bad input on the other team operations', () => {
  it('invitations, edits, status and removal name the field and change nothing', async () => {
    const { w, acme, admin, operator } = company();
    const other = w.group(w.rootId, 'customer', 'Globex');
    await w.ok(admin, 'invitations.create', { email: 'dup@acme.test', roleId: ROLE.viewer, groupId: acme });
    const taken = (w.steward.db.prepare('SELECT email FROM users WHERE id = ?').get(operator) as { email: string }).email;
    const before = {
      users: JSON.stringify(w.steward.db.prepare('SELECT * FROM users ORDER BY id').all()),
      invitations: w.steward.count('invitations'),
    };
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['invitations.create', { email: 'nope', roleId: ROLE.viewer, groupId: acme }, 'VALIDATION', 'email'],
      ['invitations.create', { email: 'dup@acme.test', roleId: ROLE.viewer, groupId: acme }, 'CONFLICT', 'email'],
      ['invitations.create', { email: taken, roleId: ROLE.viewer, groupId: acme }, 'CONFLICT', 'email'],
      ['invitations.create', { email: 'x@acme.test', roleId: 'no-such-role', groupId: acme }, 'NOT_FOUND', 'roleId'],
      ['invitations.create', { email: 'x@acme.test', roleId: ROLE.viewer, groupId: other }, 'NOT_FOUND', 'groupId'],
      ['invitations.create', { email: `${'x'.repeat(300)}@acme.test`, roleId: ROLE.viewer, groupId: acme }, 'VALIDATION', 'email'],
      ['users.update', { id: operator, baseVersion: w.version('user', operator), email: 'not-an-email' }, 'VALIDATION', 'email'],
      ['users.update', { id: operator, baseVersion: w.version('user', operator), username: 'x'.repeat(65) }, 'VALIDATION', 'username'],
      [
        'users.update',
        {
          id: operator,
          baseVersion: w.version('user', operator),
          email: (w.steward.db.prepare('SELECT email FROM users WHERE id = ?').get(admin) as { email: string }).email,
        },
        'CONFLICT',
        'email',
      ],
      ['users.setStatus', { id: operator, status: 'gone' }, 'VALIDATION', 'status'],
      ['users.remove', { id: operator, reassignDevicesTo: operator }, 'CONFLICT', 'reassignDevicesTo'],
      [
        'users.setRoles',
        { userId: operator, baseVersion: w.version('user', operator), bindings: [{ roleId: ROLE.viewer, groupId: other }] },
        'NOT_FOUND',
        'bindings.0.groupId',
      ],
    ];
    for (const [name, input, code, field] of cases) {
      expect(await w.call(admin, name, input), `${name} ${JSON.stringify(input).slice(0, 60)}`).toMatchObject({
        ok: false,
        error: { code, field },
      });
    }
    expect({
      users: JSON.stringify(w.steward.db.prepare('SELECT * FROM users ORDER BY id').all()),
      invitations: w.steward.count('invitations'),
    }).toEqual(before);
  });
});

describe('seed-002 and DESIGN 3.6: protections', () => {
  it('seed-002: the first admin’s role cannot be changed, the account cannot be disabled or deleted', async () => {
    const w = new World();
    worlds.push(w);
    const admin = w.user('root-admin', w.rootId);
    w.bind(admin, ROLE.admin, w.rootId);
    expect(
      await w.call(admin, 'users.setRoles', { userId: w.ownerId, baseVersion: w.version('user', w.ownerId), bindings: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await w.call(w.ownerId, 'users.setStatus', { id: w.ownerId, status: 'disabled' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await w.call(w.ownerId, 'users.remove', { id: w.ownerId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: /own account/ },
    });
  });

  it('seed-002: you cannot delete your own account; an Admin cannot modify or remove the Owner', async () => {
    const { w, owner, admin } = company();
    expect(await w.call(admin, 'users.remove', { id: admin })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You cannot delete your own account' },
    });
    for (const [name, input] of [
      ['users.remove', { id: owner }],
      ['users.setStatus', { id: owner, status: 'disabled' }],
      ['users.resetPassword', { id: owner }],
      ['users.update', { id: owner, baseVersion: w.version('user', owner), fullName: 'Hijacked' }],
    ] as const) {
      expect(await w.call(admin, name, input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /Owner/ } });
    }
    const detail = await w.ok<UserDetail>(admin, 'users.get', { id: owner });
    expect(detail.can).toMatchObject({ edit: false, remove: false, reasons: { remove: expect.stringMatching(/Owner/) } });
  });

  it('seed-004: disabling a login keeps the account and ends its sessions; enabling restores it', async () => {
    const { w, admin, operator } = company();
    const token = w.session(operator);
    expect((await w.steward.call('auth.status', {}, token)).result).toMatchObject({ ok: true, value: { session: { stage: 'active' } } });
    await w.ok(admin, 'users.setStatus', { id: operator, status: 'disabled' });
    expect((await w.steward.call('auth.status', {}, token)).result).toMatchObject({ ok: true, value: { session: null } });
    expect(w.steward.db.prepare('SELECT status FROM users WHERE id = ?').get(operator)).toEqual({ status: 'disabled' });
    await w.ok(admin, 'users.setStatus', { id: operator, status: 'active' });
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: operator })).status).toBe('active');
  });

  it('seed-002: reset password returns a new one once and ends sessions; reset MFA forces re-enrollment', async () => {
    const { w, admin, operator } = company();
    w.steward.db.prepare('UPDATE users SET totp_secret = ?, mfa_enrolled_at = 1 WHERE id = ?').run(Buffer.from('x'), operator);
    const token = w.session(operator);
    const reset = await w.ok<{ password: string }>(admin, 'users.resetPassword', { id: operator });
    expect(reset.password).toHaveLength(20);
    expect((await w.steward.call('auth.status', {}, token)).result).toMatchObject({ ok: true, value: { session: null } });
    await w.ok(admin, 'users.resetMfa', { id: operator });
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: operator })).mfa).toBe('reset_pending');
  });

  it('seed-000: removing a member keeps their devices and can reassign them', async () => {
    const { w, acme, admin, operator } = company();
    const other = w.user('heir', acme);
    w.bind(other, ROLE.operator, acme);
    const laptop = w.device(acme, 'laptop');
    w.assign(laptop, operator);
    expect(await w.ok(admin, 'users.remove', { id: operator, reassignDevicesTo: other })).toEqual({ removed: true, devicesReassigned: 1 });
    expect(w.steward.db.prepare('SELECT user_id FROM device_assignments WHERE device_id = ?').all(laptop)).toEqual([{ user_id: other }]);
    expect(w.steward.count('devices')).toBe(1);
  });
});

describe('seed-004: external (delegated) users', () => {
  it('seed-004: an external user can be disabled but not deleted, and cannot receive ownership', async () => {
    const clock = manualClock();
    const { w, acme, owner, admin } = company();
    const external = (
      await w.ok<{ id: string }>(
        admin,
        'users.create',
        newUser(acme, { kind: 'external', bindings: [{ roleId: ROLE.admin, groupId: acme }] }),
      )
    ).id;
    expect(await w.call(admin, 'users.remove', { id: external })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'External users can be disabled but not deleted' },
    });
    await w.ok(admin, 'users.setStatus', { id: external, status: 'disabled' });
    await w.ok(admin, 'users.setStatus', { id: external, status: 'active' });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    w.steward.db
      .prepare('UPDATE users SET totp_secret = ? WHERE id IN (?, ?)')
      .run(w.steward.secrets.seal(Buffer.from(secret)), owner, external);
    const transfer = await w.call(owner, 'ownership.transfer', {
      companyId: acme,
      toUserId: external,
      code: await codeFor(secret, clock.now()),
    });
    expect(transfer).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: /external/ } });
  });

  it('seed-004: inviting an external user requires agreeing to the terms', async () => {
    const { w, acme, admin } = company();
    const answer = await w.call(admin, 'invitations.create', {
      email: 'ext@partner.test',
      roleId: ROLE.viewer,
      groupId: acme,
      kind: 'external',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'acceptTerms' } });
    expect(
      await w.ok(admin, 'invitations.create', {
        email: 'ext@partner.test',
        roleId: ROLE.viewer,
        groupId: acme,
        kind: 'external',
        acceptTerms: true,
      }),
    ).toMatchObject({
      invitation: { kind: 'external', status: 'pending' },
    });
  });
});

describe('seed-000: invitations and seats', () => {
  it('seed-000: invite, accept from the link (MFA enrollment next), and the inviter’s link is single use', async () => {
    const { w, acme, admin } = company();
    const sent = await w.ok<InvitationSent>(admin, 'invitations.create', { email: 'ivy@acme.test', roleId: ROLE.operator, groupId: acme });
    expect(sent.delivery).toBe('link');
    const token = sent.link?.split('#/invite/')[1] ?? '';
    expect(await w.ok(admin, 'invitations.preview', { token })).toMatchObject({
      email: 'ivy@acme.test',
      companyName: 'Acme',
      roleName: 'Operator',
    });
    const accept = await w.steward.call('invitations.accept', {
      token,
      username: 'ivy',
      fullName: 'Ivy Invitee',
      password: 'a perfectly fine passphrase',
    });
    expect(accept.result).toMatchObject({ ok: true, value: { stage: 'enroll', user: { username: 'ivy' } } });
    expect(accept.session?.kind).toBe('set');
    expect(
      (await w.steward.call('invitations.accept', { token, username: 'ivy2', fullName: 'Ivy', password: 'a perfectly fine passphrase' }))
        .result,
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /already used/ },
    });
    const stored =
      JSON.stringify(w.steward.db.prepare('SELECT * FROM invitations').all()) +
      JSON.stringify(w.steward.db.prepare('SELECT * FROM audit_events').all());
    expect(stored).not.toContain(token);
  });

  it('seed-000: resend replaces the link and revoke makes it unusable; seed-004: the link expires after 24 hours', async () => {
    const clock = manualClock();
    const { w: cw, acme, admin } = company();
    const first = await cw.ok<InvitationSent>(admin, 'invitations.create', { email: 'rae@acme.test', roleId: ROLE.viewer, groupId: acme });
    const resent = await cw.ok<InvitationSent>(admin, 'invitations.resend', {
      id: first.invitation.id,
      baseVersion: cw.version('invitation', first.invitation.id),
    });
    expect(resent.invitation.sendCount).toBe(2);
    const oldToken = first.link?.split('#/invite/')[1] ?? '';
    const newToken = resent.link?.split('#/invite/')[1] ?? '';
    expect(await cw.call(admin, 'invitations.preview', { token: oldToken })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await cw.call(admin, 'invitations.preview', { token: newToken })).toMatchObject({ ok: true });
    await cw.ok(admin, 'invitations.revoke', { id: first.invitation.id });
    expect(await cw.call(admin, 'invitations.preview', { token: newToken })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /revoked/ },
    });
    const second = await cw.ok<InvitationSent>(admin, 'invitations.create', { email: 'sam@acme.test', roleId: ROLE.viewer, groupId: acme });
    expect(second.invitation.expiresAt - second.invitation.createdAt).toBe(24 * 3_600_000);
    cw.steward.db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(clock.now() - 1, second.invitation.id);
    const token = second.link?.split('#/invite/')[1] ?? '';
    expect(await cw.call(admin, 'invitations.preview', { token })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /expired/ },
    });
    const list = await cw.ok<{ invitations: InvitationSummary[] }>(admin, 'invitations.list', {});
    expect(list.invitations.map((i) => i.status).sort()).toEqual(['expired', 'revoked']);
  });

  it('seed-000: each member and each pending invitation counts as a seat; past the limit is refused with the count and the limit', async () => {
    const { w, acme, admin } = company({ seatLimit: 4 });
    await w.ok(admin, 'invitations.create', { email: 'one@acme.test', roleId: ROLE.viewer, groupId: acme });
    const refused = await w.call(admin, 'invitations.create', { email: 'two@acme.test', roleId: ROLE.viewer, groupId: acme });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /4 of 4 seats are used \(3 members, 1 pending invitations\)/ },
    });
    expect(await w.call(admin, 'users.create', newUser(acme))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'homeGroupId' },
    });
  });

  it('the inviter’s authority is checked again at acceptance', async () => {
    const { w, acme, admin, owner } = company();
    const sent = await w.ok<InvitationSent>(admin, 'invitations.create', { email: 'late@acme.test', roleId: ROLE.operator, groupId: acme });
    await w.ok(owner, 'users.setStatus', { id: admin, status: 'disabled' });
    const token = sent.link?.split('#/invite/')[1] ?? '';
    const answer = await w.steward.call('invitations.accept', {
      token,
      username: 'late',
      fullName: 'Late',
      password: 'a perfectly fine passphrase',
    });
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /can no longer grant/ } });
    expect(w.steward.db.prepare("SELECT count(*) AS n FROM users WHERE username = 'late'").get()).toEqual({ n: 0 });
  });
});

describe('seed-000: ownership transfer', () => {
  it('seed-000: the Owner transfers to an MFA-enrolled Admin with a fresh code; a wrong code is refused; the old Owner becomes Admin', async () => {
    const clock = manualClock();
    const { w, acme, owner, admin } = company();
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    w.steward.db
      .prepare('UPDATE users SET totp_secret = ? WHERE id IN (?, ?)')
      .run(w.steward.secrets.seal(Buffer.from(secret)), owner, admin);
    const good = await codeFor(secret, clock.now());
    const wrong = good === '000000' ? '111111' : '000000';
    expect(await w.call(owner, 'ownership.transfer', { companyId: acme, toUserId: admin, code: wrong })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CODE', field: 'code' },
    });
    expect(await w.call(admin, 'ownership.transfer', { companyId: acme, toUserId: admin, code: good })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await w.ok(owner, 'ownership.transfer', { companyId: acme, toUserId: admin, code: good })).toEqual({
      newOwnerId: admin,
      companyId: acme,
    });
    const roles = (id: string) =>
      (
        w.steward.db.prepare('SELECT role_id FROM role_bindings WHERE user_id = ? AND group_id = ?').all(id, acme) as Array<{
          role_id: string;
        }>
      ).map((r) => r.role_id);
    expect(roles(admin)).toEqual([ROLE.owner]);
    expect(roles(owner)).toEqual([ROLE.admin]);
    // The former Owner no longer holds ownership.transfer there.
    expect(await w.call(owner, 'ownership.transfer', { companyId: acme, toUserId: admin, code: good })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('seed-000: activity', () => {
  it('seed-000: a member’s activity lists what they did and what was done to them, within the reader’s scope', async () => {
    const { w, admin, operator } = company();
    await w.ok(admin, 'users.update', { id: operator, baseVersion: w.version('user', operator), fullName: 'Renamed' });
    const activity = await w.ok<{ events: Array<{ action: string; actorId: string }> }>(admin, 'audit.list', { memberId: operator });
    expect(activity.events.map((e) => e.action)).toContain('users.update');
    expect((await w.ok<{ total: number }>(operator, 'audit.list', {})).total).toBe(0);
  });
});

describe('settings', () => {
  it('the SMTP password is stored sealed and never returned', async () => {
    const w = new World();
    worlds.push(w);
    const view = await w.ok<{ smtp: { hasPassword: boolean } }>(w.ownerId, 'settings.update', {
      baseVersion: w.version('settings'),
      smtp: { host: '127.0.0.1', port: 2525, secure: false, username: 'mailer', password: 'smtp-secret-canary', from: 'steward@acme.test' },
    });
    expect(view.smtp.hasPassword).toBe(true);
    const everything =
      JSON.stringify(w.steward.db.prepare('SELECT * FROM settings').all()) +
      JSON.stringify(w.steward.db.prepare('SELECT * FROM audit_events').all());
    expect(everything).not.toContain('smtp-secret-canary');
    const raw = new Database(join(w.steward.dataDir, 'steward.db'), { readonly: true });
    expect(JSON.stringify(raw.prepare('SELECT * FROM settings').all())).not.toContain('smtp-secret-canary');
    raw.close();
  });
});
