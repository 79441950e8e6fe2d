import { afterEach, describe, expect, it } from 'vitest';
import type { RoleDetail } from '../../shared/contract';
import { ROLE, World } from '../helpers/world';

/** Issue 12: a role saved from a stale copy is refused with what changed since; nothing is written. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

async function twoAdmins() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const ann = w.user('ann', acme);
  const bob = w.user('bob', acme);
  w.bind(ann, ROLE.admin, acme);
  w.bind(bob, ROLE.admin, acme);
  const { id } = await w.ok<{ id: string }>(ann, 'roles.create', {
    ownerGroupId: acme,
    name: 'Helpdesk',
    deviceVisibility: 'scope',
    permissions: ['users.view', 'devices.view'],
  });
  const username = (userId: string) =>
    (w.steward.db.prepare('SELECT username FROM users WHERE id = ?').get(userId) as { username: string }).username;
  return { w, acme, ann, bob, id, username };
}

describe('roles: optimistic concurrency', () => {
  it('a save from a copy older than the stored role is CONFLICT naming the key removed since and by whom; the key stays removed', async () => {
    const { w, ann, bob, id, username } = await twoAdmins();
    // Both admins open the same role.
    const annCopy = await w.ok<RoleDetail>(ann, 'roles.get', { id });
    const bobCopy = await w.ok<RoleDetail>(bob, 'roles.get', { id });
    expect(annCopy.version).toBe(1);
    expect(bobCopy.version).toBe(1);
    // Ann removes a key.
    expect(await w.ok(ann, 'roles.update', { id, baseVersion: annCopy.version, permissions: ['users.view'] })).toEqual({ id, version: 2 });
    // Bob saves from his old copy with one key added.
    const refused = await w.call(bob, 'roles.update', {
      id,
      baseVersion: bobCopy.version,
      permissions: [...bobCopy.permissions, 'users.edit'],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'baseVersion' } });
    if (refused.ok) return;
    expect(refused.error.message).toContain('changed since version 1');
    expect(refused.error.message).toContain(`version 2 by ${username(ann)} removed`);
    expect(refused.error.message).toContain('(devices.view)');
    expect(refused.error.message).not.toContain('users.edit');

    const stored = await w.ok<RoleDetail>(bob, 'roles.get', { id });
    expect(stored.permissions).toEqual(['users.view']);
    expect(stored.version).toBe(2);
    expect(stored.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('after reloading, the same edit saves on top of the current role and the removed key does not come back', async () => {
    const { w, ann, bob, id } = await twoAdmins();
    await w.ok(ann, 'roles.update', { id, baseVersion: 1, permissions: ['users.view'] });
    const reloaded = await w.ok<RoleDetail>(bob, 'roles.get', { id });
    expect(
      await w.ok(bob, 'roles.update', { id, baseVersion: reloaded.version, permissions: [...reloaded.permissions, 'users.edit'] }),
    ).toEqual({ id, version: 3 });
    expect((await w.ok<RoleDetail>(bob, 'roles.get', { id })).permissions).toEqual(['users.edit', 'users.view']);
  });

  it('a revert from a stale history is CONFLICT too: it would overwrite the versions saved after the copy', async () => {
    const { w, ann, bob, id, username } = await twoAdmins();
    await w.ok(ann, 'roles.update', { id, baseVersion: 1, permissions: ['users.view'] });
    await w.ok(ann, 'roles.update', { id, baseVersion: 2, permissions: ['users.view', 'users.edit'] });
    const refused = await w.call(bob, 'roles.revert', { id, version: 1, baseVersion: 2 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'baseVersion' } });
    if (!refused.ok) expect(refused.error.message).toContain(`version 3 by ${username(ann)} added`);
    const stored = await w.ok<RoleDetail>(bob, 'roles.get', { id });
    expect(stored.permissions).toEqual(['users.edit', 'users.view']);
    expect(stored.version).toBe(3);
  });

  it('an update without the version it was based on is refused as VALIDATION on baseVersion, and nothing changes', async () => {
    const { w, bob, id } = await twoAdmins();
    const refused = await w.call(bob, 'roles.update', { id, permissions: ['users.view'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'baseVersion' } });
    const future = await w.call(bob, 'roles.update', { id, baseVersion: 9, permissions: ['users.view'] });
    expect(future).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'baseVersion' } });
    const stored = await w.ok<RoleDetail>(bob, 'roles.get', { id });
    expect(stored.permissions).toEqual(['devices.view', 'users.view']);
    expect(stored.version).toBe(1);
  });

  it('R13: the refusal does not name an author the reader may not see', async () => {
    const { w, bob, id, username } = await twoAdmins();
    // Provider staff who may edit roles below them, but whom Acme's admin cannot see.
    const staff = w.user('provider-staff', w.rootId);
    w.bind(staff, ROLE.admin, w.rootId);
    await w.ok(staff, 'roles.update', { id, baseVersion: 1, permissions: ['users.view'] });
    const refused = await w.call(bob, 'roles.update', { id, baseVersion: 1, permissions: ['users.view', 'devices.view', 'users.edit'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (refused.ok) return;
    expect(refused.error.message).not.toContain(username(staff));
    expect(refused.error.message).toContain('(someone you may not see) removed');
  });

  it('roles.list gives each role its current version, which is what an editor starts from', async () => {
    const { w, ann, id } = await twoAdmins();
    await w.ok(ann, 'roles.update', { id, baseVersion: 1, description: 'Front line' });
    const { roles } = await w.ok<{ roles: Array<{ id: string; version: number }> }>(ann, 'roles.list', {});
    expect(roles.find((r) => r.id === id)?.version).toBe(2);
  });
});
