import { afterEach, describe, expect, it } from 'vitest';
import { ROLE_TEMPLATES } from '../../shared/access/templates';
import { ROLE, World } from '../helpers/world';

/**
 * Paths found by attacking the access rules (docs/rules.md) from accounts with few rights,
 * through the real dispatcher. Each test names the rule it breaks and re-reads the stored
 * state after the call; each fails while the hole is open.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const template = (id: string) => {
  const t = ROLE_TEMPLATES.find((r) => r.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};

/** Acme with seed 003's role set: a Company Owner and a Company Administrator, Owner and Admin in meaning (R9). */
function acmeRoleSet() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const co = template('company-portal-company-owner');
  const ca = template('company-portal-company-administrator');
  const ownerRole = w.role(acme, co.permissions, co.deviceVisibility, 'Company Owner');
  const adminRole = w.role(acme, ca.permissions, ca.deviceVisibility, 'Company Administrator');
  w.steward.db.prepare("UPDATE roles SET meaning = 'owner' WHERE id = ?").run(ownerRole);
  w.steward.db.prepare("UPDATE roles SET meaning = 'admin' WHERE id = ?").run(adminRole);
  const owner = w.user('acme-owner', acme);
  w.bind(owner, ownerRole, acme);
  const admin = w.user('acme-admin', acme);
  w.bind(admin, adminRole, acme);
  return { w, acme, owner, admin, ownerRole, ownerKeys: [...co.permissions] };
}

const assignmentsOf = (w: World, userId: string) =>
  w.steward.db.prepare('SELECT device_id FROM device_assignments WHERE user_id = ? ORDER BY 1').all(userId);
const keysOf = (w: World, roleId: string) =>
  (
    w.steward.db.prepare('SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY 1').all(roleId) as Array<{
      permission: string;
    }>
  ).map((r) => r.permission);
const bindingsOf = (w: World, id: string) =>
  w.steward.db.prepare('SELECT role_id, group_id FROM role_bindings WHERE user_id = ? ORDER BY 1, 2').all(id);
const sessionsOf = (w: World, id: string) =>
  (w.steward.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(id) as { n: number }).n;

describe('R10: an Owner’s devices are changed only by themselves or an Owner above', () => {
  it('a Company Administrator cannot take a device from the Company Owner or hand one to them (devices.unassign, devices.assign)', async () => {
    const { w, acme, owner, admin } = acmeRoleSet();
    const laptop = w.device(acme, 'owner-laptop');
    const spare = w.device(acme, 'spare');
    w.assign(laptop, owner);
    const before = assignmentsOf(w, owner);
    const taken = await w.call(admin, 'devices.unassign', { deviceIds: [laptop], userIds: [owner] });
    expect.soft(taken.ok ? null : taken.error.code).toBe('FORBIDDEN');
    const given = await w.call(admin, 'devices.assign', { deviceIds: [spare], userIds: [owner] });
    expect.soft(given.ok ? null : given.error.code).toBe('FORBIDDEN');
    expect(assignmentsOf(w, owner)).toEqual(before);
  });

  it('removing a member cannot hand their devices over to the Owner when the remover is not an Owner above (users.remove reassignDevicesTo)', async () => {
    const { w, acme, owner, admin } = acmeRoleSet();
    const leaver = w.user('leaver', acme);
    w.bind(leaver, w.role(acme, ['devices.view'], 'assigned'), acme);
    const pc = w.device(acme, 'leaver-pc');
    w.assign(pc, leaver);
    const answer = await w.call(admin, 'users.remove', { id: leaver, reassignDevicesTo: owner });
    expect.soft(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(assignmentsOf(w, owner)).toEqual([]);
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(leaver)).toEqual({ n: 1 });
  });
});

describe('R10: an Owner is never disabled; ownership is handed over first', () => {
  it('not even the provider Owner, an Owner above, can disable a customer’s Owner', async () => {
    const { w, owner } = acmeRoleSet();
    w.session(owner);
    const answer = await w.call(w.ownerId, 'users.setStatus', { id: owner, status: 'disabled' });
    expect.soft(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(w.steward.db.prepare('SELECT status FROM users WHERE id = ?').get(owner)).toEqual({ status: 'active' });
    expect(sessionsOf(w, owner)).toBe(1);
  });
});

describe('R10 and R5: a role’s keys change only with its holders’ consent in rights', () => {
  it('a role editor holding four keys cannot strip a key from the Company Owner role', async () => {
    const { w, acme, ownerRole, ownerKeys } = acmeRoleSet();
    const editor = w.user('role-editor', acme);
    w.bind(editor, w.role(acme, ['roles.view', 'roles.edit', 'users.view', 'groups.view']), acme);
    const before = keysOf(w, ownerRole);
    const answer = await w.call(editor, 'roles.update', {
      id: ownerRole,
      baseVersion: w.version('role', ownerRole),
      permissions: ownerKeys.filter((k) => k !== 'users.view'),
    });
    expect.soft(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(keysOf(w, ownerRole)).toEqual(before);
  });

  it('R10: an Owner of a company above may edit the Company Owner role', async () => {
    const { w, ownerRole, ownerKeys } = acmeRoleSet();
    const trimmed = ownerKeys.slice(0, -1);
    expect(
      (await w.call(w.ownerId, 'roles.update', { id: ownerRole, baseVersion: w.version('role', ownerRole), permissions: trimmed })).ok,
    ).toBe(true);
    expect(keysOf(w, ownerRole)).toEqual([...trimmed].sort());
  });

  it('R5: whoever edits a role holds every key of it: a role editor cannot strip keys from or rename a role granting keys they lack', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const owner = w.user('acme-owner', acme);
    w.bind(owner, ROLE.owner, acme);
    const editor = w.user('role-editor', acme);
    w.bind(editor, w.role(acme, ['roles.view', 'roles.edit', 'users.view', 'groups.view']), acme);
    const senior = w.role(acme, ['users.view', 'users.edit', 'users.delete', 'devices.view'], 'scope', 'Senior');
    const holder = w.user('senior', acme);
    w.bind(holder, senior, acme);
    const before = w.steward.db.prepare('SELECT name, device_visibility FROM roles WHERE id = ?').get(senior);
    const keys = keysOf(w, senior);
    const stripped = await w.call(editor, 'roles.update', {
      id: senior,
      baseVersion: w.version('role', senior),
      permissions: ['users.edit', 'users.delete', 'devices.view'],
    });
    expect.soft(stripped.ok ? null : stripped.error.code).toBe('FORBIDDEN');
    const renamed = await w.call(editor, 'roles.update', { id: senior, baseVersion: w.version('role', senior), name: 'Junior' });
    expect.soft(renamed.ok ? null : renamed.error.code).toBe('FORBIDDEN');
    expect(keysOf(w, senior)).toEqual(keys);
    expect(w.steward.db.prepare('SELECT name, device_visibility FROM roles WHERE id = ?').get(senior)).toEqual(before);
  });
});

describe('R7: removing a group does not take roles from people the remover does not dominate', () => {
  it('a locations.manage holder removing an empty location cannot drop a Location Administrator’s binding there', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const owner = w.user('acme-owner', acme);
    w.bind(owner, ROLE.owner, acme);
    const lab = w.group(acme, 'location', 'Lab');
    const la = template('company-portal-location-administrator');
    const labAdmin = w.user('lab-admin', acme);
    w.bind(labAdmin, w.role(acme, la.permissions, la.deviceVisibility, 'Location Administrator'), lab);
    w.session(labAdmin);
    const planner = w.user('planner', acme);
    w.bind(planner, w.role(acme, ['groups.view', 'locations.manage']), acme);
    const before = bindingsOf(w, labAdmin);
    const answer = await w.call(planner, 'groups.remove', { id: lab });
    expect.soft(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(bindingsOf(w, labAdmin)).toEqual(before);
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM groups WHERE id = ?').get(lab)).toEqual({ n: 1 });
  });

  it('R18: when the customer’s Owner removes the location, the binding goes and its holder’s sessions end', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const owner = w.user('acme-owner', acme);
    w.bind(owner, ROLE.owner, acme);
    const lab = w.group(acme, 'location', 'Lab');
    const la = template('company-portal-location-administrator');
    const labAdmin = w.user('lab-admin', acme);
    w.bind(labAdmin, w.role(acme, la.permissions, la.deviceVisibility, 'Location Administrator'), lab);
    w.session(labAdmin);
    expect((await w.call(owner, 'groups.remove', { id: lab })).ok).toBe(true);
    expect(bindingsOf(w, labAdmin)).toEqual([]);
    expect(sessionsOf(w, labAdmin)).toBe(0);
  });
});

describe('R14: an external user never becomes Owner', () => {
  it('an Owner invitation for an external user is refused at creation or at acceptance, and no external Owner exists', async () => {
    const w = new World();
    worlds.push(w);
    const newco = w.group(w.rootId, 'customer', 'NewCo');
    const sent = await w.call<{ link: string }>(w.ownerId, 'invitations.create', {
      email: 'outsider@partner.test',
      roleId: ROLE.owner,
      groupId: newco,
      kind: 'external',
      acceptTerms: true,
    });
    if (sent.ok) {
      const token = sent.value.link.split('/#/invite/')[1] ?? '';
      const accepted = await w.steward.call('invitations.accept', {
        token,
        username: 'outsider',
        fullName: 'Out Sider',
        password: 'a long and unusual passphrase',
      });
      expect.soft(accepted.result.ok).toBe(false);
    }
    expect(
      w.steward.db
        .prepare(
          "SELECT count(*) AS n FROM users u JOIN role_bindings b ON b.user_id = u.id JOIN roles r ON r.id = b.role_id WHERE u.kind = 'external' AND r.meaning = 'owner'",
        )
        .get(),
    ).toEqual({ n: 0 });
  });
});

describe('R13: reads and refusals name no role or group the caller may not see', () => {
  it('a Location Administrator at HQ reading a colleague is not told of the colleague’s role at another location', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const owner = w.user('acme-owner', acme);
    w.bind(owner, ROLE.owner, acme);
    const hq = w.group(acme, 'location', 'HQ');
    const lab = w.group(acme, 'location', 'Secret Lab');
    const la = template('company-portal-location-administrator');
    const lu = template('company-portal-location-user');
    const hqAdmin = w.user('hq-admin', hq);
    w.bind(hqAdmin, w.role(acme, la.permissions, la.deviceVisibility, 'Location Administrator'), hq);
    const pat = w.user('pat', hq);
    w.bind(pat, w.role(acme, lu.permissions, lu.deviceVisibility, 'Location User'), hq);
    w.bind(pat, w.role(acme, ['devices.view', 'restores.run', 'users.view'], 'scope', 'Project Nightingale'), lab);
    // The caller indeed may not see that location.
    expect((await w.call(hqAdmin, 'groups.get', { id: lab })).ok).toBe(false);
    const secret = /Secret Lab|Project Nightingale/;
    expect(JSON.stringify(await w.call(hqAdmin, 'users.get', { id: pat }))).not.toMatch(secret);
    expect(JSON.stringify(await w.call(hqAdmin, 'users.list', {}))).not.toMatch(secret);
    const before = w.steward.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(pat);
    const refused = await w.call(hqAdmin, 'users.resetPassword', { id: pat });
    expect.soft(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
    expect(refused.ok ? '' : refused.error.message).not.toMatch(secret);
    expect(w.steward.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(pat)).toEqual(before);
  });
});

describe('R7 and R5: a role that sees only assigned devices is compared on those devices', () => {
  /** A provider Operator with a laptop of their own, and a colleague who holds the same Operator role plus user editing. */
  function operators() {
    const w = new World();
    worlds.push(w);
    const target = w.user('op-target', w.rootId);
    w.bind(target, ROLE.operator, w.rootId);
    const laptop = w.device(w.rootId, 'target-laptop');
    w.assign(laptop, target);
    const actor = w.user('op-actor', w.rootId);
    w.bind(actor, ROLE.operator, w.rootId);
    w.bind(actor, w.role(w.rootId, ['users.view', 'users.edit', 'groups.view', 'roles.view', 'roles.create']), w.rootId);
    w.steward.db.prepare("UPDATE users SET password_hash = 'kept', totp_secret = x'01' WHERE id = ?").run(target);
    return { w, target, actor, laptop };
  }
  const credentials = (w: World, id: string) =>
    w.steward.db.prepare('SELECT password_hash, hex(totp_secret) AS totp, status FROM users WHERE id = ?').get(id);

  it('holding the same Operator role does not let the actor reset, edit or disable a person with a device the actor cannot see', async () => {
    const { w, target, actor } = operators();
    const before = credentials(w, target);
    for (const [name, input] of [
      ['users.resetPassword', { id: target }],
      ['users.resetMfa', { id: target }],
      ['users.update', { id: target, baseVersion: w.version('user', target), fullName: 'Renamed' }],
      ['users.setStatus', { id: target, status: 'disabled' }],
    ] as const) {
      const answer = await w.call(actor, name, input);
      expect.soft(answer.ok ? `${name} accepted` : answer.error.code).toBe('FORBIDDEN');
    }
    expect(credentials(w, target)).toEqual(before);
    const detail = await w.ok<{ can: Record<string, unknown> }>(actor, 'users.get', { id: target });
    expect(detail.can).toMatchObject({ edit: false, resetPassword: false, resetMfa: false });
  });

  it('once the device is assigned to the actor too, the actor holds everything the person does and may act on them', async () => {
    const { w, target, actor, laptop } = operators();
    w.assign(laptop, actor);
    expect((await w.call(actor, 'users.update', { id: target, baseVersion: w.version('user', target), fullName: 'Renamed' })).ok).toBe(
      true,
    );
  });

  it('an actor who runs backups only on their assigned devices cannot create a role that runs them on every device', async () => {
    const { w, actor } = operators();
    const count = () => w.steward.db.prepare('SELECT count(*) AS n FROM roles').get();
    const before = count();
    const answer = await w.call(actor, 'roles.create', {
      ownerGroupId: w.rootId,
      name: 'Runner',
      deviceVisibility: 'scope',
      permissions: ['backups.run'],
    });
    expect(answer.ok ? 'accepted' : answer.error.message).toMatch(/every device/);
    expect(count()).toEqual(before);
  });
});

describe('R7 on every path that changes who holds a device: undo and taking a device oneself', () => {
  it('undoing someone else’s unassign job re-gives nothing to a member the undoer does not dominate', async () => {
    const w = new World();
    worlds.push(w);
    const operator = w.user('operator', w.rootId);
    w.bind(operator, ROLE.operator, w.rootId);
    const laptop = w.device(w.rootId, 'laptop');
    w.assign(laptop, operator);
    const started = await w.ok<{ id: string }>(w.ownerId, 'devices.bulkAssign', {
      selection: { deviceIds: [laptop] },
      userIds: [operator],
      action: 'unassign',
    });
    w.steward.jobs.drain();
    expect(assignmentsOf(w, operator)).toEqual([]);
    // Sees and assigns every device and sees every person, but runs no backups and restores nothing.
    const undoer = w.user('undoer', w.rootId);
    w.bind(undoer, w.role(w.rootId, ['devices.view', 'devices.assign', 'users.view', 'groups.view']), w.rootId);
    expect((await w.call(undoer, 'devices.jobUndo', { jobId: started.id })).ok).toBe(true);
    w.steward.jobs.drain();
    expect(assignmentsOf(w, operator)).toEqual([]);
    const after = await w.ok<{ undo: { restored: number; skipped: number }; note: string }>(w.ownerId, 'devices.jobGet', {
      jobId: started.id,
    });
    expect(after.undo).toMatchObject({ restored: 0, skipped: 1 });
    expect(after.note).toMatch(/holds rights there that they do not/);
  });

  it('a person who may assign devices cannot take one to gain what their assigned-only role holds on it', async () => {
    const w = new World();
    worlds.push(w);
    const laptop = w.device(w.rootId, 'laptop');
    const actor = w.user('assigner', w.rootId);
    w.bind(actor, w.role(w.rootId, ['devices.view', 'devices.assign', 'users.view', 'groups.view']), w.rootId);
    w.bind(actor, w.role(w.rootId, ['devices.view', 'restores.run'], 'assigned'), w.rootId);
    const answer = await w.call(actor, 'devices.assign', { deviceIds: [laptop], userIds: [actor] });
    expect(answer.ok ? 'accepted' : [answer.error.code, answer.error.field]).toEqual(['FORBIDDEN', 'userIds.0']);
    expect(assignmentsOf(w, actor)).toEqual([]);
  });
});

describe('R5: a role limited to one kind of group stays at that kind', () => {
  it('a department cannot become a location while someone holds a department-only role there, nor can the role be limited to another kind', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    // Directly inside the customer, a department may become a location as far as nesting goes.
    const finance = w.group(acme, 'department', 'Finance');
    const supervisor = w.role(acme, ['users.view', 'groups.view'], 'scope', 'Supervisor');
    w.steward.db.prepare("UPDATE roles SET scope_kind = 'department' WHERE id = ?").run(supervisor);
    const lead = w.user('lead', finance);
    w.bind(lead, supervisor, finance);
    const kindOf = () => w.steward.db.prepare('SELECT kind FROM groups WHERE id = ?').get(finance);
    const changed = await w.call(w.ownerId, 'groups.update', { id: finance, baseVersion: w.version('group', finance), kind: 'location' });
    expect(changed.ok ? 'accepted' : [changed.error.code, changed.error.field]).toEqual(['CONFLICT', 'kind']);
    expect(kindOf()).toEqual({ kind: 'department' });
    const limited = await w.call(w.ownerId, 'roles.update', {
      id: supervisor,
      baseVersion: w.version('role', supervisor),
      scopeKind: 'location',
    });
    expect(limited.ok ? 'accepted' : limited.error.code).not.toBe('accepted');
    expect(w.steward.db.prepare('SELECT scope_kind FROM roles WHERE id = ?').get(supervisor)).toEqual({ scope_kind: 'department' });
    // Once nobody holds it there, the department may become a location.
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(lead);
    expect((await w.call(w.ownerId, 'groups.update', { id: finance, baseVersion: w.version('group', finance), kind: 'location' })).ok).toBe(
      true,
    );
  });
});

describe('R12 with versions: authority is decided before the age of the caller’s copy', () => {
  it('a Viewer cannot save a group, even one naming nothing, and hears FORBIDDEN whatever version they name', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const viewer = w.user('viewer', acme);
    w.bind(viewer, ROLE.viewer, acme);
    await w.ok(w.ownerId, 'groups.update', { id: acme, baseVersion: w.version('group', acme), seatLimit: 40 });
    for (const baseVersion of [1, w.version('group', acme)]) {
      const answer = await w.call(viewer, 'groups.update', { id: acme, baseVersion });
      expect(answer.ok ? 'saved' : answer.error.code).toBe('FORBIDDEN');
    }
    expect(
      w.steward.db
        .prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'groups.update' AND actor_id = ? AND outcome = 'success'")
        .get(viewer),
    ).toEqual({ n: 0 });
  });

  it('a stale users.setRoles or invitations.resend by someone who may not grant the role is FORBIDDEN, not CONFLICT', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const owner = w.user('acme-owner', acme);
    w.bind(owner, ROLE.owner, acme);
    const helper = w.user('helper', acme);
    w.bind(helper, w.role(acme, ['users.view', 'users.edit', 'users.create', 'groups.view', 'roles.view']), acme);
    const member = w.user('member', acme);
    await w.ok(w.ownerId, 'users.update', { id: member, baseVersion: w.version('user', member), fullName: 'Member Two' });
    const roles = await w.call(helper, 'users.setRoles', {
      userId: member,
      baseVersion: 1,
      bindings: [{ roleId: ROLE.admin, groupId: acme }],
    });
    expect(roles.ok ? 'granted' : roles.error.code).toBe('FORBIDDEN');
    const sent = await w.ok<{ invitation: { id: string } }>(w.ownerId, 'invitations.create', {
      email: 'adm@acme.test',
      roleId: ROLE.admin,
      groupId: acme,
    });
    const id = sent.invitation.id;
    await w.ok(w.ownerId, 'invitations.resend', { id, baseVersion: w.version('invitation', id) });
    const resent = await w.call(helper, 'invitations.resend', { id, baseVersion: 1 });
    expect(resent.ok ? 'resent' : resent.error.code).toBe('FORBIDDEN');
    expect(bindingsOf(w, member)).toEqual([]);
  });
});
