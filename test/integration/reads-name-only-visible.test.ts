import { afterEach, describe, expect, it } from 'vitest';
import type { AccessAnswer, RoleDetail, RolePreview } from '../../shared/contract';
import { HIDDEN_AUTHOR } from '../../main/features/roles/records';
import { ROLE, World } from '../helpers/world';

/** Finding 9: a read names a person, group or role only if the caller may see it; the rest is counted or withheld. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function twoTenants() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  const acmeAdmin = w.user('acme-admin', acme);
  w.bind(acmeAdmin, ROLE.admin, acme);
  const globexAdmin = w.user('globex-secret-admin', globex);
  w.bind(globexAdmin, ROLE.admin, globex);
  w.device(acme, 'acme-ws');
  w.device(globex, 'globex-ws-1');
  w.device(globex, 'globex-ws-2');
  return { w, acme, globex, acmeAdmin, globexAdmin };
}

describe('reads name only what the caller may see', () => {
  it('roles.preview names, counts and measures the same holders roles.get shows the reader, never another tenant’s', async () => {
    const { w, acmeAdmin } = twoTenants();
    const shown = await w.ok<RoleDetail>(acmeAdmin, 'roles.get', { id: ROLE.admin });
    const preview = await w.ok<RolePreview>(acmeAdmin, 'roles.preview', { id: ROLE.admin, permissions: ['groups.view'] });
    expect(preview.people.map((p) => p.userId).sort()).toEqual([...new Set(shown.holders.map((h) => h.userId))].sort());
    expect(preview.holders).toBe(1);
    expect(preview.devices).toBe(1);
    expect(JSON.stringify(preview)).not.toContain('globex-secret-admin');
  });

  it('roles.get does not name a version’s author the reader may not see', async () => {
    const { w, acme, acmeAdmin } = twoTenants();
    const role = w.role(acme, ['groups.view'], 'scope', 'Acme helpers');
    await w.ok(w.ownerId, 'roles.update', { id: role, baseVersion: w.version('role', role), description: 'Edited by the provider' });
    await w.ok(acmeAdmin, 'roles.update', { id: role, baseVersion: w.version('role', role), description: 'Edited by Acme' });
    const detail = await w.ok<RoleDetail>(acmeAdmin, 'roles.get', { id: role });
    const acmeName = (w.steward.db.prepare('SELECT username FROM users WHERE id = ?').get(acmeAdmin) as { username: string }).username;
    // Version 1 is the role as written here before its first save, by no one.
    expect(detail.versions.map((v) => v.by)).toEqual([acmeName, HIDDEN_AUTHOR, '']);
    const byOwner = await w.ok<RoleDetail>(w.ownerId, 'roles.get', { id: role });
    expect(byOwner.versions.map((v) => v.by)).not.toContain(HIDDEN_AUTHOR);
  });

  it('access.explain lists the person’s roles only at groups the reader may see, counting the others', async () => {
    const { w, acme, globex, acmeAdmin } = twoTenants();
    const berlin = w.group(acme, 'location', 'Berlin');
    const hamburg = w.group(acme, 'location', 'Hamburg');
    const person = w.user('contractor', berlin);
    w.bind(person, ROLE.viewer, berlin);
    w.bind(person, w.role(globex, ['devices.view'], 'scope', 'Globex Secret Role'), globex);
    const device = w.device(hamburg, 'hamburg-ws');
    const answer = await w.ok<AccessAnswer>(acmeAdmin, 'access.explain', {
      userId: person,
      permission: 'devices.view',
      target: { type: 'device', id: device },
    });
    expect(answer.allowed).toBe(false);
    expect(answer.explanation).toContain('Viewer at Berlin');
    expect(answer.explanation).toContain('1 role at groups you may not see');
    expect(answer.explanation).not.toMatch(/Globex/);
  });
});
