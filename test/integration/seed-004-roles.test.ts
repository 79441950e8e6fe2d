import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION_KEYS } from '../../shared/access/catalog';
import { ROLE_TEMPLATES, type RoleTemplate } from '../../shared/access/templates';
import type { UserDetail, UserSummary } from '../../shared/contract';
import { seedText } from '../helpers/seeds';
import { ROLE, World } from '../helpers/world';

/**
 * Seed 004 (NinjaOne SaaS Backup user management): ten access levels, Group Supervisor
 * bound to the departments chosen with it, and users assigned to several departments.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const TEN = [
  'Full Admin',
  'IT Admin',
  'Restricted IT Admin',
  'Group Supervisor',
  'User',
  'User View and Restore',
  'Compliance and Review Officer',
  'Reviewer',
  'Limited Reviewer',
  'Data Protection Officer',
];

function seed004(name: string): RoleTemplate {
  const t = ROLE_TEMPLATES.find((r) => r.set === 'saas-backup' && r.name === name);
  if (!t) throw new Error(`no seed-004 template ${name}`);
  return t;
}

/** Acme with departments Finance and Sales, one person homed in each, a device in each, and a Group Supervisor role from the template. */
async function acme() {
  const w = new World();
  worlds.push(w);
  const company = w.group(w.rootId, 'customer', 'Acme');
  const finance = w.group(company, 'department', 'Finance');
  const sales = w.group(company, 'department', 'Sales');
  const berlin = w.group(company, 'location', 'Berlin');
  const admin = w.user('acme-admin', company);
  w.bind(admin, ROLE.admin, company);
  const t = seed004('Group Supervisor');
  const { id: supervisorRole } = await w.ok<{ id: string }>(admin, 'roles.create', {
    ownerGroupId: company,
    name: t.name,
    description: t.description,
    deviceVisibility: t.deviceVisibility,
    permissions: [...t.permissions],
    scopeKind: t.scopeKind ?? null,
  });
  const fay = w.user('fay', finance);
  const sam = w.user('sam', sales);
  const fayLaptop = w.device(finance, 'fay-laptop');
  const samLaptop = w.device(sales, 'sam-laptop');
  return { w, company, finance, sales, berlin, admin, supervisorRole, fay, sam, fayLaptop, samLaptop };
}

const decide = async (w: World, userId: string, permission: string, type: 'user' | 'device' | 'group', id: string) =>
  (await w.ok<{ allowed: boolean }>(w.ownerId, 'access.decide', { userId, permission, target: { type, id } })).allowed;

describe('seed-004: access levels and departments', () => {
  it('seed-004: ten access levels exist as templates, four of them for SaaS Backup + Archiver only', async () => {
    expect(seedText('004')).toContain('ten access levels');
    const w = new World();
    worlds.push(w);
    const { templates } = await w.ok<{ templates: RoleTemplate[] }>(w.ownerId, 'roles.templates', {});
    const ten = templates.filter((t) => t.set === 'saas-backup');
    expect(ten.map((t) => t.name)).toEqual(TEN);
    const known = new Set(PERMISSION_KEYS);
    for (const t of ten) {
      // The seed leaves the permissions out: the picker's explanation says the keys are a reading of the name.
      expect(t.explanation, t.name).toMatch(/a reading of its name/);
      expect(
        t.permissions.filter((k) => !known.has(k)),
        t.name,
      ).toEqual([]);
      expect(t.permissions.length, t.name).toBeGreaterThan(0);
    }
    expect(ten.filter((t) => t.explanation?.includes('SaaS Backup + Archiver only')).map((t) => t.name)).toEqual([
      'Compliance and Review Officer',
      'Reviewer',
      'Limited Reviewer',
      'Data Protection Officer',
    ]);
    expect(ten.filter((t) => t.scopeKind).map((t) => [t.name, t.scopeKind])).toEqual([['Group Supervisor', 'department']]);
    // Levels differ: no two of the ten are the same role under another name.
    const shapes = ten.map((t) => `${t.deviceVisibility}:${[...t.permissions].sort().join(',')}`);
    expect(new Set(shapes).size).toBe(10);
  });

  it('seed-004: Group Supervisor must be bound to one or more departments, and a wrong binding changes nothing', async () => {
    const { w, company, finance, sales, berlin, admin, supervisorRole } = await acme();
    const role = await w.ok<{ scopeKind: string | null }>(admin, 'roles.get', { id: supervisorRole });
    expect(role.scopeKind).toBe('department');
    const gus = w.user('gus', company);
    for (const [at, kind] of [
      [company, 'customer'],
      [berlin, 'location'],
    ] as const) {
      expect(
        await w.call(admin, 'users.setRoles', {
          userId: gus,
          baseVersion: w.version('user', gus),
          bindings: [
            { roleId: ROLE.viewer, groupId: company },
            { roleId: supervisorRole, groupId: at },
          ],
        }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'VALIDATION',
          field: 'bindings.1.groupId',
          message: new RegExp(`Group Supervisor must be bound to a department.*a ${kind}`),
        },
      });
    }
    // Nothing half-applied: the valid Viewer binding of the refused call is not there.
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: gus })).bindings).toEqual([]);
    const set = await w.ok<{ bindings: Array<{ groupName: string }> }>(admin, 'users.setRoles', {
      userId: gus,
      baseVersion: w.version('user', gus),
      bindings: [
        { roleId: supervisorRole, groupId: finance },
        { roleId: supervisorRole, groupId: sales },
      ],
    });
    expect(set.bindings.map((b) => b.groupName)).toEqual(['Finance', 'Sales']);
    // Every other path that hands out a role applies the same rule.
    expect(
      await w.call(admin, 'users.create', {
        username: 'gwen',
        email: 'gwen@example.test',
        homeGroupId: company,
        bindings: [{ roleId: supervisorRole, groupId: company }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'bindings.0.groupId' } });
    expect(
      await w.call(admin, 'invitations.create', { email: 'gail@example.test', roleId: supervisorRole, groupId: company }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: expect.stringMatching(/groupId$/) as unknown } });
  });

  it('seed-004: Group Supervisor is limited to its departments (their users and devices, not another department’s)', async () => {
    const { w, company, finance, sales, supervisorRole, fay, sam, fayLaptop, samLaptop } = await acme();
    const gus = w.user('gus', company);
    w.bind(gus, supervisorRole, finance);
    expect(await decide(w, gus, 'users.edit', 'user', fay)).toBe(true);
    expect(await decide(w, gus, 'users.edit', 'user', sam)).toBe(false);
    expect(await decide(w, gus, 'restores.run', 'device', fayLaptop)).toBe(true);
    expect(await decide(w, gus, 'restores.run', 'device', samLaptop)).toBe(false);
    expect(await decide(w, gus, 'users.view', 'group', company)).toBe(false);
    expect(await decide(w, gus, 'users.create', 'user', fay)).toBe(false);
    const inFinance = await w.ok<{ areas: Array<{ area: string; level: string }> }>(w.ownerId, 'access.effective', {
      userId: gus,
      groupId: finance,
    });
    const inSales = await w.ok<{ areas: Array<{ area: string; level: string }> }>(w.ownerId, 'access.effective', {
      userId: gus,
      groupId: sales,
    });
    expect(inFinance.areas.find((a) => a.area === 'restores')?.level).toBe('full');
    expect(inSales.areas.every((a) => a.level === 'none')).toBe(true);
    // Lists agree with the single-object answers.
    const { users } = await w.ok<{ users: UserSummary[] }>(gus, 'users.list', {});
    expect(users.map((u) => u.fullName)).toEqual(['fay']);
  });

  it('seed-004: you can assign multiple departments to a user, and a supervisor of one of them reaches that user', async () => {
    const { w, company, finance, sales, admin, supervisorRole, sam } = await acme();
    const gus = w.user('gus', company);
    w.bind(gus, supervisorRole, finance);
    const mia = w.user('mia', company);
    expect(await decide(w, gus, 'users.edit', 'user', mia)).toBe(false);
    const set = await w.ok<{ departments: Array<{ groupName: string }> }>(admin, 'users.setDepartments', {
      userId: mia,
      baseVersion: w.version('user', mia),
      departmentIds: [sales, finance],
    });
    expect(set.departments.map((d) => d.groupName)).toEqual(['Finance', 'Sales']);
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: mia })).departments.map((d) => d.groupName)).toEqual(['Finance', 'Sales']);
    expect(await decide(w, gus, 'users.edit', 'user', mia)).toBe(true);
    // Lists and who-can say the same as decide.
    const listed = await w.ok<{ users: UserSummary[] }>(gus, 'users.list', {});
    expect(listed.users.map((u) => u.fullName).sort()).toEqual(['fay', 'mia']);
    const who = await w.ok<{ subjects: Array<{ userId: string }> }>(w.ownerId, 'access.whoCan', {
      permission: 'users.edit',
      target: { type: 'user', id: mia },
    });
    expect(who.subjects.map((s) => s.userId)).toContain(gus);
    // Membership of Sales does not let the Finance supervisor reach Sales' own people.
    expect(await decide(w, gus, 'users.edit', 'user', sam)).toBe(false);
    await w.ok(admin, 'users.setDepartments', { userId: mia, baseVersion: w.version('user', mia), departmentIds: [sales] });
    expect(await decide(w, gus, 'users.edit', 'user', mia)).toBe(false);
  });

  it('seed-004: departments must be departments of the user’s own company, and only someone who edits users there may set them', async () => {
    const { w, company, finance, sales, berlin, admin, supervisorRole } = await acme();
    const other = w.group(w.rootId, 'customer', 'Globex');
    const globexHr = w.group(other, 'department', 'HR');
    const mia = w.user('mia', company);
    expect(
      await w.call(admin, 'users.setDepartments', { userId: mia, baseVersion: w.version('user', mia), departmentIds: [finance, berlin] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'departmentIds.1', message: /“Berlin” is a location, not a department/ },
    });
    expect(
      await w.call(w.ownerId, 'users.setDepartments', { userId: mia, baseVersion: w.version('user', mia), departmentIds: [globexHr] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'departmentIds.0', message: /belongs to “Acme”/ },
    });
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: mia })).departments).toEqual([]);
    // A supervisor of Finance may not pull a person into Sales.
    const gus = w.user('gus', company);
    w.bind(gus, supervisorRole, finance);
    await w.ok(admin, 'users.setDepartments', { userId: mia, baseVersion: w.version('user', mia), departmentIds: [finance] });
    expect(
      await w.call(gus, 'users.setDepartments', { userId: mia, baseVersion: w.version('user', mia), departmentIds: [finance, sales] }),
    ).toMatchObject({
      ok: false,
      error: { field: 'departmentIds.1' },
    });
    expect((await w.ok<UserDetail>(admin, 'users.get', { id: mia })).departments.map((d) => d.groupName)).toEqual(['Finance']);
  });
});
