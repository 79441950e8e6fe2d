import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { diffRoleVersions } from '../../shared/access/role-diff';
import type { RoleDetail } from '../../shared/contract';
import { bindingsOf } from '../../main/features/access/access';
import { ROLE, World } from '../helpers/world';

/** Seed 002's role rules and DESIGN 3.5 for role edits, through the API. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const admin = w.user('acme-admin', acme);
  w.bind(admin, ROLE.admin, acme);
  const editor = w.user('role-editor', acme);
  w.bind(
    editor,
    w.role(
      w.rootId,
      ['roles.view', 'roles.create', 'roles.edit', 'roles.delete', 'users.view', 'users.edit', 'devices.view', 'groups.view'],
      'assigned',
    ),
    acme,
  );
  return { w, acme, admin, editor };
}

describe('seed-002: roles', () => {
  it('seed-002: create a role from the permission names, edit it later; every version is kept', async () => {
    const { w, acme, admin } = company();
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Schedules operator',
      deviceVisibility: 'assigned',
      permissions: ['view_schedules_page', 'run_schedule', 'restore_disaster_recovery'],
    });
    expect(await w.ok(admin, 'roles.update', { id, baseVersion: w.version('role', id), permissions: ['jobs.view', 'jobs.run'] })).toEqual({
      id,
      version: 2,
    });
    const detail = await w.ok<RoleDetail>(admin, 'roles.get', { id });
    expect(detail.permissions).toEqual(['jobs.run', 'jobs.view']);
    expect(detail.versions.map((v) => [v.version, v.permissions])).toEqual([
      [2, ['jobs.run', 'jobs.view']],
      [1, ['jobs.run', 'jobs.view', 'restores.disasterRecovery']],
    ]);
  });

  it('seed-002: roles in use cannot be deleted, and the error lists who uses them', async () => {
    const { w, acme, admin } = company();
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Helpdesk',
      deviceVisibility: 'assigned',
      permissions: ['users.view'],
    });
    const holder = w.user('hank', acme);
    w.bind(holder, id, acme);
    expect(await w.call(admin, 'roles.remove', { id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /in use.*Held by: hank-.* at Acme/ },
    });
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(holder);
    expect(await w.ok(admin, 'roles.remove', { id })).toEqual({ removed: true });
  });

  it('holders are listed and counted only where the reader may see people: one tenant never reads another’s names', async () => {
    const { w, acme, admin } = company();
    const globex = w.group(w.rootId, 'customer', 'Globex');
    const other = w.user('globex-admin', globex);
    w.bind(other, ROLE.admin, globex);
    const adminOf = (roles: Array<{ id: string; holderCount: number }>) => roles.find((r) => r.id === ROLE.admin)?.holderCount;

    const acmeView = await w.ok<RoleDetail>(admin, 'roles.get', { id: ROLE.admin });
    expect(acmeView.holders.map((h) => h.groupName)).toEqual(['Acme']);
    expect(adminOf((await w.ok<{ roles: Array<{ id: string; holderCount: number }> }>(admin, 'roles.list', {})).roles)).toBe(1);

    const ownerView = await w.ok<RoleDetail>(w.ownerId, 'roles.get', { id: ROLE.admin });
    expect(ownerView.holders.map((h) => h.groupName).sort()).toEqual(['Acme', 'Globex']);
    expect(adminOf((await w.ok<{ roles: Array<{ id: string; holderCount: number }> }>(w.ownerId, 'roles.list', {})).roles)).toBe(2);

    // The in-use rule counts every holder, naming only those the remover may see.
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Shared desk',
      deviceVisibility: 'assigned',
      permissions: ['users.view'],
    });
    w.bind(w.user('hidden-holder', acme), id, acme);
    const janitor = w.user('janitor', acme);
    w.bind(janitor, w.role(w.rootId, ['roles.view', 'roles.delete'], 'assigned'), acme);
    const refusal = await w.call(janitor, 'roles.remove', { id });
    expect(refusal).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: /in use.*Held by: 1 more binding\./ } });
    if (!refusal.ok) expect(refusal.error.message).not.toContain('hidden-holder');
  });

  it('seed-002: the first built-in admin role is protected (built-in roles cannot be edited or deleted)', async () => {
    const { w, admin } = company();
    expect(await w.call(admin, 'roles.remove', { id: ROLE.admin })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: /built-in/ },
    });
    expect(
      await w.call(w.ownerId, 'roles.update', { id: ROLE.owner, baseVersion: w.version('role', ROLE.owner), permissions: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('seed-002: a user cannot put into a role a key they do not hold; unknown keys are named', async () => {
    const { w, acme, editor } = company();
    expect(
      await w.call(editor, 'roles.create', {
        ownerGroupId: acme,
        name: 'Too much',
        deviceVisibility: 'assigned',
        permissions: ['billing.manage'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', field: 'permissions', message: /billing\.manage/ },
    });
    expect(
      await w.call(editor, 'roles.create', {
        ownerGroupId: acme,
        name: 'All devices',
        deviceVisibility: 'scope',
        permissions: ['devices.view'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: /every device/ },
    });
    expect(
      await w.call(editor, 'roles.create', { ownerGroupId: acme, name: 'Typo', deviceVisibility: 'assigned', permissions: ['users.veiw'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'permissions.0' },
    });
    const ok = await w.ok<{ id: string }>(editor, 'roles.create', {
      ownerGroupId: acme,
      name: 'Viewer of users',
      deviceVisibility: 'assigned',
      permissions: ['users.view'],
    });
    expect(
      await w.call(editor, 'roles.update', {
        id: ok.id,
        baseVersion: w.version('role', ok.id),
        permissions: ['users.view', 'users.delete'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await w.call(editor, 'roles.create', { ownerGroupId: acme, name: 'viewer OF users', deviceVisibility: 'assigned', permissions: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name' },
    });
  });

  it('seed-002: edits to a role apply at once to every holder’s next call', async () => {
    const { w, acme, admin } = company();
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Grows',
      deviceVisibility: 'assigned',
      permissions: ['groups.view'],
    });
    const holder = w.user('gina', acme);
    w.bind(holder, id, acme);
    const token = w.session(holder);
    const ask = async () =>
      (await w.steward.call('access.decide', { userId: holder, permission: 'users.view', target: { type: 'group', id: acme } }, token))
        .result;
    expect(await ask()).toMatchObject({ ok: true, value: { allowed: false } });
    await w.ok(admin, 'roles.update', { id, baseVersion: w.version('role', id), permissions: ['groups.view', 'users.view'] });
    expect(await ask()).toMatchObject({ ok: true, value: { allowed: true } });
  });

  it('previews an edit before saving: who gains and loses what, over how many devices and groups', async () => {
    const { w, acme, admin } = company();
    const loc = w.group(acme, 'location', 'Berlin');
    w.device(loc);
    w.device(acme);
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Desk',
      deviceVisibility: 'assigned',
      permissions: ['groups.view', 'jobs.view'],
    });
    const a = w.user('amy', acme);
    const b = w.user('bob', acme);
    w.bind(a, id, acme);
    w.bind(b, id, loc);
    w.bind(b, ROLE.viewer, loc);
    const preview = await w.ok<{
      holders: number;
      changes: Array<{ key: string; gained: number; lost: number }>;
      devices: number;
      groups: number;
    }>(admin, 'roles.preview', {
      id,
      permissions: ['groups.view', 'reports.view', 'users.view'],
    });
    // Bob keeps jobs.view and already has reports.view through Viewer at the same group.
    expect(preview).toMatchObject({
      holders: 2,
      devices: 2,
      groups: 2,
      changes: [
        { key: 'jobs.view', gained: 0, lost: 1 },
        { key: 'reports.view', gained: 1, lost: 0 },
        { key: 'users.view', gained: 2, lost: 0 },
      ],
    });
    // A key Steward does not know is refused as a save would refuse it, not previewed as a gain.
    const unknown = await w.call(admin, 'roles.preview', { id, permissions: ['users.view', 'users.godmode'] });
    expect(unknown.ok ? 'previewed' : [unknown.error.code, unknown.error.field]).toEqual(['VALIDATION', 'permissions.1']);
  });

  it('revert saves an earlier version as the newest one, with nothing between them in the diff', async () => {
    const { w, acme, admin } = company();
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Desk',
      description: 'First',
      deviceVisibility: 'assigned',
      permissions: ['jobs.view', 'jobs.run'],
      scopeKind: 'location',
    });
    await w.ok(admin, 'roles.update', {
      id,
      baseVersion: w.version('role', id),
      name: 'Front desk',
      scopeKind: null,
      permissions: ['jobs.view', 'users.view'],
    });
    expect(await w.ok(admin, 'roles.revert', { id, baseVersion: w.version('role', id), version: 1 })).toEqual({ id, version: 3 });
    const role = await w.ok<RoleDetail>(admin, 'roles.get', { id });
    expect(role).toMatchObject({ name: 'Desk', scopeKind: 'location', permissions: ['jobs.run', 'jobs.view'] });
    const [v3, v2, v1] = role.versions;
    if (!v1 || !v2 || !v3) throw new Error('three versions expected');
    expect(diffRoleVersions(v1, v3)).toEqual({ added: [], removed: [], changed: [] });
    expect(diffRoleVersions(v2, v3)).toEqual({
      added: ['jobs.run'],
      removed: ['users.view'],
      changed: [
        { field: 'name', from: 'Front desk', to: 'Desk' },
        { field: 'scopeKind', from: null, to: 'location' },
      ],
    });
    expect(await w.call(admin, 'roles.revert', { id, baseVersion: w.version('role', id), version: 9 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'version' },
    });
  });

  it('seed-002: a non-Owner cannot revert a role to a version holding a key they do not hold', async () => {
    const { w, acme, admin } = company();
    const { id } = await w.ok<{ id: string }>(w.ownerId, 'roles.create', {
      ownerGroupId: acme,
      name: 'Billing desk',
      deviceVisibility: 'assigned',
      permissions: ['billing.view', 'billing.manage'],
    });
    await w.ok(w.ownerId, 'roles.update', { id, baseVersion: w.version('role', id), permissions: ['billing.view'] });
    // Admin lacks billing.manage (seed 000), so bringing version 1 back would hand it out.
    expect(await w.call(admin, 'roles.revert', { id, baseVersion: w.version('role', id), version: 1 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', field: 'version', message: /billing\.manage/ },
    });
    const role = await w.ok<RoleDetail>(admin, 'roles.get', { id });
    expect(role.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(role.permissions).toEqual(['billing.view']);
    expect(await w.ok(w.ownerId, 'roles.revert', { id, baseVersion: w.version('role', id), version: 1 })).toEqual({ id, version: 3 });
  });

  it('a role limited to a kind of group cannot be narrowed while it is held elsewhere', async () => {
    const { w, acme, admin } = company();
    const berlin = w.group(acme, 'location', 'Berlin');
    const { id } = await w.ok<{ id: string }>(admin, 'roles.create', {
      ownerGroupId: acme,
      name: 'Local helper',
      deviceVisibility: 'assigned',
      permissions: ['users.view'],
    });
    const holder = w.user('lou', acme);
    await w.ok(admin, 'users.setRoles', {
      userId: holder,
      baseVersion: w.version('user', holder),
      bindings: [{ roleId: id, groupId: acme }],
    });
    expect(await w.call(admin, 'roles.update', { id, baseVersion: w.version('role', id), scopeKind: 'location' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'scopeKind', message: /held outside a location \(lou-.* at Acme\)/ },
    });
    await w.ok(admin, 'users.setRoles', {
      userId: holder,
      baseVersion: w.version('user', holder),
      bindings: [{ roleId: id, groupId: berlin }],
    });
    expect(await w.ok(admin, 'roles.update', { id, baseVersion: w.version('role', id), scopeKind: 'location' })).toEqual({
      id,
      version: 2,
    });
    const { roles } = await w.ok<{ roles: Array<{ id: string; scopeKind: string | null }> }>(admin, 'roles.list', {});
    expect(roles.find((r) => r.id === id)?.scopeKind).toBe('location');
  });

  it('property: no sequence of role edits and bindings by a non-Owner yields a role with a key its editor did not hold', async () => {
    const keys = [
      'roles.view',
      'roles.create',
      'roles.edit',
      'users.view',
      'users.edit',
      'devices.view',
      'billing.manage',
      'audit.view',
      'groups.view',
    ];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), keys: fc.subarray(keys), scope: fc.boolean() }),
      fc.record({ kind: fc.constant('update' as const), role: fc.nat(), keys: fc.subarray(keys), scope: fc.boolean() }),
      fc.record({ kind: fc.constant('bind' as const), role: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.subarray(keys, { minLength: 1 }), fc.array(step, { minLength: 1, maxLength: 8 }), async (editorKeys, steps) => {
        const w = new World();
        worlds.push(w);
        const acme = w.group(w.rootId, 'customer', 'Acme');
        const editor = w.user('ed', acme);
        w.bind(
          editor,
          w.role(
            w.rootId,
            [...new Set([...editorKeys, 'roles.create', 'roles.edit', 'users.edit', 'users.view', 'roles.view'])],
            'assigned',
          ),
          acme,
        );
        const held = new Set(bindingsOf(w.steward.db, editor).flatMap((b) => [...b.role.permissions]));
        const target = w.user('t', acme);
        const made: string[] = [];
        for (const s of steps) {
          if (s.kind === 'create') {
            const r = await w.call<{ id: string }>(editor, 'roles.create', {
              ownerGroupId: acme,
              name: `r${made.length}`,
              deviceVisibility: s.scope ? 'scope' : 'assigned',
              permissions: s.keys,
            });
            if (r.ok) made.push(r.value.id);
          } else if (s.kind === 'update' && made.length > 0) {
            await w.call(editor, 'roles.update', {
              id: made[s.role % made.length],
              baseVersion: w.version('role', made[s.role % made.length]),
              permissions: s.keys,
              deviceVisibility: s.scope ? 'scope' : 'assigned',
            });
          } else if (s.kind === 'bind' && made.length > 0) {
            await w.call(editor, 'users.setRoles', {
              userId: target,
              baseVersion: w.version('user', target),
              bindings: [{ roleId: made[s.role % made.length], groupId: acme }],
            });
          }
        }
        for (const id of made) {
          const role = await w.ok<RoleDetail>(w.ownerId, 'roles.get', { id });
          for (const key of role.permissions) expect(held.has(key), key).toBe(true);
          // Seeing every device matters only when the role has device keys; the editor sees assigned ones only.
          if (role.permissions.some((k) => k.startsWith('devices.'))) expect(role.deviceVisibility).toBe('assigned');
        }
        for (const b of bindingsOf(w.steward.db, target)) for (const key of b.role.permissions) expect(held.has(key)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
