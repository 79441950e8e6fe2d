import { afterEach, describe, expect, it } from 'vitest';
import { ROLE_TEMPLATES } from '../../shared/access/templates';
import { invalidateRoles } from '../../main/features/access/roles-cache';
import { codeFor, manualClock, tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * The escalation paths found by trying Steward as an attacker would, each as the rule it
 * breaks (docs/rules.md). Every refusal is followed by a re-read of the stored state.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function acme() {
  const w = new World();
  worlds.push(w);
  const company = w.group(w.rootId, 'customer', 'Acme');
  const owner = w.user('acme-owner', company);
  w.bind(owner, ROLE.owner, company);
  const admin = w.user('acme-admin', company);
  w.bind(admin, ROLE.admin, company);
  return { w, company, owner, admin };
}

const passwordHash = (w: World, id: string) =>
  (w.steward.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: Buffer | string | null }).password_hash;
const bindingsOf = (w: World, id: string) =>
  w.steward.db.prepare('SELECT role_id, group_id FROM role_bindings WHERE user_id = ? ORDER BY 1, 2').all(id);
const sessionsOf = (w: World, id: string) =>
  (w.steward.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(id) as { n: number }).n;
const template = (id: string) => {
  const t = ROLE_TEMPLATES.find((r) => r.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};

describe('R7 dominance: acting on a person needs every right they hold where they hold it', () => {
  it('a custom role with users.view, users.edit and groups.view cannot reset the password or MFA of an Admin', async () => {
    const { w, company, admin } = acme();
    const helpdesk = w.user('helpdesk', company);
    w.bind(helpdesk, w.role(company, ['users.view', 'users.edit', 'groups.view']), company);
    const before = passwordHash(w, admin);
    for (const name of ['users.resetPassword', 'users.resetMfa', 'users.update', 'users.setStatus']) {
      const input =
        name === 'users.setStatus'
          ? { id: admin, status: 'disabled' }
          : name === 'users.update'
            ? { id: admin, baseVersion: w.version('user', admin), fullName: 'x' }
            : { id: admin };
      const answer = await w.call(helpdesk, name, input);
      expect(answer.ok ? null : [answer.error.code, answer.error.field], name).toEqual(['FORBIDDEN', 'id']);
    }
    expect(passwordHash(w, admin)).toEqual(before);
    expect(w.steward.db.prepare('SELECT status, full_name FROM users WHERE id = ?').get(admin)).toEqual({
      status: 'active',
      full_name: 'acme-admin',
    });
  });

  it('a department supervisor cannot reset the password of a company Admin who belongs to that department', async () => {
    const { w, company, admin } = acme();
    const finance = w.group(company, 'department', 'Finance');
    w.steward.db.prepare('INSERT INTO user_departments (user_id, group_id) VALUES (?, ?)').run(admin, finance);
    const t = template('saas-backup-group-supervisor');
    const supervisor = w.user('supervisor', finance);
    w.bind(supervisor, w.role(company, t.permissions, t.deviceVisibility), finance);
    const before = passwordHash(w, admin);
    const answer = await w.call(supervisor, 'users.resetPassword', { id: admin });
    expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(passwordHash(w, admin)).toEqual(before);
  });

  it('a Location Administrator at HQ cannot reset an Operator homed at HQ whose binding covers the whole customer', async () => {
    const { w, company } = acme();
    const hq = w.group(company, 'location', 'HQ');
    const t = template('company-portal-location-administrator');
    const locationAdmin = w.user('hq-admin', hq);
    w.bind(locationAdmin, w.role(company, t.permissions, t.deviceVisibility), hq);
    const operator = w.user('operator', hq);
    w.bind(operator, ROLE.operator, company);
    const answer = await w.call(locationAdmin, 'users.resetPassword', { id: operator });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['FORBIDDEN', 'id']);
    // The customer group is above the caller's scope, so the refusal does not name it (R13).
    expect(answer.ok ? '' : answer.error.message).toMatch(/holds a role at a group you may not see/);
    // A Location User bound at HQ holds nothing the Location Administrator lacks there.
    const local = w.user('local-user', hq);
    const user = template('company-portal-location-user');
    w.bind(local, w.role(company, user.permissions, user.deviceVisibility), hq);
    expect((await w.call(locationAdmin, 'users.resetPassword', { id: local })).ok).toBe(true);
  });

  it('users.get greys out exactly what the server refuses', async () => {
    const { w, company, admin } = acme();
    const helpdesk = w.user('helpdesk', company);
    w.bind(helpdesk, w.role(company, ['users.view', 'users.edit', 'groups.view']), company);
    const detail = await w.ok<{ can: Record<string, unknown> & { reasons: Record<string, string> } }>(helpdesk, 'users.get', { id: admin });
    expect(detail.can).toMatchObject({ edit: false, resetPassword: false, resetMfa: false, setRoles: false, disable: false });
    expect(detail.can.reasons.resetPassword).toMatch(/holds Admin/);
  });
});

describe('R12: authorization runs before any work', () => {
  it('a refused call never reaches prepare (no password is hashed) and an allowed one does', async () => {
    const { w, company, admin } = acme();
    const viewer = w.user('viewer', company);
    w.bind(viewer, ROLE.viewer, company);
    const operator = w.user('operator', company);
    w.bind(operator, ROLE.operator, company);
    let prepared = 0;
    for (const name of ['users.resetPassword', 'users.create'] as const) {
      const registered = w.steward.registry.get(name);
      const prepare = registered?.prepare;
      if (!registered || !prepare) throw new Error(`${name} hashes in prepare`);
      registered.prepare = (ctx, input) => {
        prepared++;
        return prepare(ctx, input);
      };
    }
    expect((await w.call(viewer, 'users.resetPassword', { id: admin })).ok).toBe(false);
    const create = { username: 'x', email: 'x@acme.test', homeGroupId: company, bindings: [{ roleId: ROLE.admin, groupId: company }] };
    expect((await w.call(viewer, 'users.create', create)).ok).toBe(false);
    expect(prepared).toBe(0);
    expect((await w.call(admin, 'users.resetPassword', { id: operator })).ok).toBe(true);
    expect(prepared).toBe(1);
  });

  it('a refused users.resetPassword writes only its denied audit event and changes nothing', async () => {
    const { w, company, admin } = acme();
    const viewer = w.user('viewer', company);
    w.bind(viewer, ROLE.viewer, company);
    const events = w.steward.count('audit_events');
    const before = passwordHash(w, admin);
    const answer = await w.call(viewer, 'users.resetPassword', { id: admin });
    expect(answer.ok ? null : answer.error.code).toBe('NOT_FOUND');
    expect(passwordHash(w, admin)).toEqual(before);
    expect(w.steward.count('audit_events')).toBe(events + 1);
    expect(w.steward.db.prepare('SELECT outcome FROM audit_events ORDER BY seq DESC LIMIT 1').get()).toEqual({ outcome: 'denied' });
  });
});

describe('R6: resending an invitation is inviting again', () => {
  it('a users.create holder cannot resend a pending Admin invitation, and acceptance re-checks the last sender', async () => {
    const { w, company, admin } = acme();
    const recruiter = w.user('recruiter', company);
    w.bind(recruiter, w.role(company, ['users.view', 'users.create', 'groups.view']), company);
    const sent = await w.ok<{ invitation: { id: string } }>(admin, 'invitations.create', {
      email: 'boss@acme.test',
      roleId: ROLE.admin,
      groupId: company,
    });
    const hashBefore = w.steward.db.prepare('SELECT token_hash, send_count FROM invitations WHERE id = ?').get(sent.invitation.id);
    const resent = await w.call(recruiter, 'invitations.resend', {
      id: sent.invitation.id,
      baseVersion: w.version('invitation', sent.invitation.id),
    });
    expect(resent.ok ? null : [resent.error.code, resent.error.field]).toEqual(['FORBIDDEN', 'id']);
    expect(w.steward.db.prepare('SELECT token_hash, send_count FROM invitations WHERE id = ?').get(sent.invitation.id)).toEqual(hashBefore);
  });

  it('an invitation resent by someone who has since lost the right cannot be accepted', async () => {
    const { w, company, admin } = acme();
    const helper = w.user('helper', company);
    w.bind(helper, ROLE.admin, company);
    const sent = await w.ok<{ invitation: { id: string } }>(admin, 'invitations.create', {
      email: 'op@acme.test',
      roleId: ROLE.operator,
      groupId: company,
    });
    const resent = await w.ok<{ link: string }>(helper, 'invitations.resend', {
      id: sent.invitation.id,
      baseVersion: w.version('invitation', sent.invitation.id),
    });
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(helper);
    w.bind(helper, ROLE.viewer, company);
    const token = resent.link.split('/#/invite/')[1] ?? '';
    const users = w.steward.count('users');
    const answer = await w.steward.call('invitations.accept', {
      token,
      username: 'newop',
      fullName: 'New Op',
      password: 'a long and unusual passphrase',
    });
    expect(answer.result.ok ? null : [answer.result.error.code, answer.result.error.field]).toEqual(['FORBIDDEN', 'token']);
    expect(w.steward.count('users')).toBe(users);
  });
});

describe('R10: the Owner is changed only by themselves or an Owner above', () => {
  it('a company Admin cannot add or remove a binding of the Owner, and the Owner keeps their sessions', async () => {
    const { w, company, owner, admin } = acme();
    w.session(owner);
    const before = bindingsOf(w, owner);
    const add = await w.call(admin, 'users.setRoles', {
      userId: owner,
      baseVersion: w.version('user', owner),
      bindings: [
        { roleId: ROLE.owner, groupId: company },
        { roleId: ROLE.viewer, groupId: company },
      ],
    });
    expect(add.ok ? null : add.error.code).toBe('FORBIDDEN');
    expect(bindingsOf(w, owner)).toEqual(before);
    expect(sessionsOf(w, owner)).toBe(1);
    const detail = await w.ok<{ can: { setRoles: boolean } }>(admin, 'users.get', { id: owner });
    expect(detail.can.setRoles).toBe(false);
  });

  it('the provider Owner, an Owner above, may act on a customer Owner', async () => {
    const { w, owner } = acme();
    expect((await w.call(w.ownerId, 'users.update', { id: owner, baseVersion: w.version('user', owner), fullName: 'Renamed' })).ok).toBe(
      true,
    );
  });
});

describe('R13: names of other tenants are not said', () => {
  it('users.setRoles with another tenant’s role id answers NOT_FOUND without its name', async () => {
    const { w, company, admin } = acme();
    const globex = w.group(w.rootId, 'customer', 'Globex');
    const secret = w.role(globex, ['users.view'], 'scope', 'Globex Secret Role');
    const operator = w.user('operator', company);
    w.bind(operator, ROLE.operator, company);
    const answer = await w.call(admin, 'users.setRoles', {
      userId: operator,
      baseVersion: w.version('user', operator),
      bindings: [{ roleId: secret, groupId: company }],
    });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['NOT_FOUND', 'bindings.0.roleId']);
    expect(answer.ok ? '' : answer.error.message).not.toMatch(/Globex/);
    const other = await w.call(admin, 'users.setRoles', {
      userId: operator,
      baseVersion: w.version('user', operator),
      bindings: [{ roleId: ROLE.viewer, groupId: globex }],
    });
    expect(other.ok ? null : [other.error.code, other.error.field]).toEqual(['NOT_FOUND', 'bindings.0.groupId']);
    expect(other.ok ? '' : other.error.message).not.toMatch(/Globex/);
    expect(bindingsOf(w, operator)).toEqual([{ role_id: ROLE.operator, group_id: company }]);
  });
});

describe('R11: every company with members has its Owner', () => {
  it('a company without an Owner takes no member by creation', async () => {
    const w = new World();
    worlds.push(w);
    const orphan = w.group(w.rootId, 'customer', 'Orphan');
    const users = w.steward.count('users');
    const answer = await w.call(w.ownerId, 'users.create', {
      username: 'first',
      email: 'first@orphan.test',
      homeGroupId: orphan,
      bindings: [{ roleId: ROLE.admin, groupId: orphan }],
    });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['CONFLICT', 'homeGroupId']);
    expect(w.steward.count('users')).toBe(users);
  });
});

describe('R11: a company gets its Owner at creation, and only through ownership paths', () => {
  it('groups.create with an Owner invitation: the accepted link makes the Owner, who can then add people; a second Owner invitation is refused', async () => {
    const w = new World();
    worlds.push(w);
    const created = await w.ok<{ id: string; ownerInvitation?: { link?: string } }>(w.ownerId, 'groups.create', {
      parentId: w.rootId,
      kind: 'customer',
      name: 'Initech',
      owner: { email: 'boss@initech.test' },
    });
    const token = created.ownerInvitation?.link?.split('/#/invite/')[1] ?? '';
    const accepted = await w.steward.call('invitations.accept', {
      token,
      username: 'boss',
      fullName: 'Bill Lumbergh',
      password: 'a long and unusual passphrase',
    });
    expect(accepted.result.ok).toBe(true);
    const boss = (w.steward.db.prepare("SELECT id FROM users WHERE username = 'boss'").get() as { id: string }).id;
    expect(bindingsOf(w, boss)).toEqual([{ role_id: ROLE.owner, group_id: created.id }]);
    expect(
      (
        await w.call(boss, 'users.create', {
          username: 'peter',
          email: 'peter@initech.test',
          homeGroupId: created.id,
          bindings: [{ roleId: ROLE.operator, groupId: created.id }],
        })
      ).ok,
    ).toBe(true);
    const again = await w.call(w.ownerId, 'invitations.create', { email: 'other@initech.test', roleId: ROLE.owner, groupId: created.id });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
  });

  it('an Admin above, who is no Owner, cannot create a company with an Owner invitation; nothing is created', async () => {
    const w = new World();
    worlds.push(w);
    const reseller = w.group(w.rootId, 'reseller', 'Reseller');
    const resellerOwner = w.user('reseller-owner', reseller);
    w.bind(resellerOwner, ROLE.owner, reseller);
    const admin = w.user('reseller-admin', reseller);
    w.bind(admin, ROLE.admin, reseller);
    const groups = w.steward.count('groups');
    const answer = await w.call(admin, 'groups.create', {
      parentId: reseller,
      kind: 'customer',
      name: 'Shop',
      owner: { email: 'o@shop.test' },
    });
    expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    expect(w.steward.count('groups')).toBe(groups);
    expect(w.steward.count('invitations')).toBe(0);
    // The reseller's Owner may.
    expect(
      (
        await w.call(resellerOwner, 'groups.create', {
          parentId: reseller,
          kind: 'customer',
          name: 'Shop',
          owner: { email: 'o@shop.test' },
        })
      ).ok,
    ).toBe(true);
  });

  it('the Owner role is granted by no ordinary path: users.create and users.setRoles refuse it', async () => {
    const { w, company } = acme();
    const operator = w.user('operator', company);
    w.bind(operator, ROLE.operator, company);
    const create = await w.call(w.ownerId, 'users.create', {
      username: 'second-owner',
      email: 'second@acme.test',
      homeGroupId: company,
      bindings: [{ roleId: ROLE.owner, groupId: company }],
    });
    expect(create.ok ? null : [create.error.code, create.error.field]).toEqual(['FORBIDDEN', 'bindings.0.roleId']);
    const promote = await w.call(w.ownerId, 'users.setRoles', {
      userId: operator,
      baseVersion: w.version('user', operator),
      bindings: [{ roleId: ROLE.owner, groupId: company }],
    });
    expect(promote.ok ? null : promote.error.code).toBe('FORBIDDEN');
    expect(bindingsOf(w, operator)).toEqual([{ role_id: ROLE.operator, group_id: company }]);
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM role_bindings WHERE role_id = ?').get(ROLE.owner)).toEqual({ n: 2 });
  });
});

describe('R9: a company role set’s Company Owner and Company Administrator are Owner and Admin in meaning', () => {
  function companyRoles() {
    const w = new World();
    worlds.push(w);
    const company = w.group(w.rootId, 'customer', 'Portal Co');
    const meaningRole = (templateId: string, meaning: 'owner' | 'admin') => {
      const t = template(templateId);
      const id = w.role(company, t.permissions, t.deviceVisibility, t.name);
      w.steward.db.prepare('UPDATE roles SET meaning = ? WHERE id = ?').run(meaning, id);
      invalidateRoles(w.steward.db);
      return id;
    };
    const ownerRole = meaningRole('company-portal-company-owner', 'owner');
    const adminRole = meaningRole('company-portal-company-administrator', 'admin');
    const owner = w.user('company-owner', company);
    w.bind(owner, ownerRole, company);
    const administrator = w.user('company-admin', company);
    w.bind(administrator, adminRole, company);
    return { w, company, ownerRole, owner, administrator };
  }

  it('a Company Administrator cannot update, disable or remove the Company Owner', async () => {
    const { w, owner, administrator } = companyRoles();
    for (const [name, input] of [
      ['users.update', { id: owner, baseVersion: w.version('user', owner), fullName: 'Renamed' }],
      ['users.setStatus', { id: owner, status: 'disabled' }],
      ['users.remove', { id: owner }],
    ] as const) {
      const answer = await w.call(administrator, name, input);
      expect(answer.ok ? null : answer.error.code, name).toBe('FORBIDDEN');
    }
    expect(w.steward.db.prepare('SELECT full_name, status FROM users WHERE id = ?').get(owner)).toEqual({
      full_name: 'company-owner',
      status: 'active',
    });
  });

  it('there is one Company Owner per company: a second one cannot be created', async () => {
    const { w, company, ownerRole } = companyRoles();
    const users = w.steward.count('users');
    const answer = await w.call(w.ownerId, 'users.create', {
      username: 'second',
      email: 'second@portal.test',
      homeGroupId: company,
      bindings: [{ roleId: ownerRole, groupId: company }],
    });
    expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
    const invite = await w.call(w.ownerId, 'invitations.create', { email: 'second@portal.test', roleId: ownerRole, groupId: company });
    expect(invite.ok ? null : invite.error.code).toBe('CONFLICT');
    expect(w.steward.count('users')).toBe(users);
  });
});

describe('R10: ownership.assign by an Owner above', () => {
  it('gives a company without an Owner its Owner, with a fresh code; an Admin of the company may not', async () => {
    const clock = manualClock();
    const w = new World(tempSteward({ clock }), clock);
    worlds.push(w);
    const company = w.group(w.rootId, 'customer', 'Legacy');
    const member = w.user('member', company);
    w.bind(member, ROLE.admin, company);
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    w.steward.db
      .prepare('UPDATE users SET totp_secret = ? WHERE id IN (?, ?)')
      .run(w.steward.secrets.seal(Buffer.from(secret)), w.ownerId, member);
    const byAdmin = await w.call(member, 'ownership.assign', {
      companyId: company,
      toUserId: member,
      code: await codeFor(secret, clock.now()),
    });
    expect(byAdmin.ok ? null : byAdmin.error.code).toBe('FORBIDDEN');
    const wrong = await w.call(w.ownerId, 'ownership.assign', { companyId: company, toUserId: member, code: '000000' });
    expect(wrong.ok ? null : wrong.error.code).toBe('INVALID_CODE');
    expect(bindingsOf(w, member)).toEqual([{ role_id: ROLE.admin, group_id: company }]);
    const assigned = await w.call(w.ownerId, 'ownership.assign', {
      companyId: company,
      toUserId: member,
      code: await codeFor(secret, clock.now()),
    });
    expect(assigned.ok).toBe(true);
    expect(bindingsOf(w, member)).toEqual([{ role_id: ROLE.owner, group_id: company }]);
    // R18: the new Owner's rights changed, so their sessions ended.
    expect(sessionsOf(w, member)).toBe(0);
    const event = w.steward.db
      .prepare("SELECT action, outcome FROM audit_events WHERE action = 'ownership.assign' ORDER BY seq DESC LIMIT 1")
      .get();
    expect(event).toEqual({ action: 'ownership.assign', outcome: 'success' });
  });
});
