import { afterEach, describe, expect, it } from 'vitest';
import { twoTenants } from '../helpers/two-tenants';
import type { World } from '../helpers/world';

/**
 * Refusals name nothing the caller may not see (R4): a group id from another
 * tenant, or holders of a role the caller may not see as people.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

describe('review: names in refusals', () => {
  it('users.setDepartments with another tenant’s group id answers NOT_FOUND without its name', async () => {
    const { w, admin, operator, globex } = twoTenants(worlds);
    const answer = await w.call(admin, 'users.setDepartments', {
      userId: operator,
      baseVersion: w.version('user', operator),
      departmentIds: [globex],
    });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['NOT_FOUND', 'departmentIds.0']);
    expect(answer.ok ? '' : answer.error.message).not.toMatch(/globex/i);
  });

  it('limiting a role to locations names only holders the editor may see', async () => {
    const { w, acme } = twoTenants(worlds);
    const role = w.role(acme, ['groups.view'], 'scope', 'Desk');
    const holder = w.user('hidden-holder', acme);
    w.bind(holder, role, acme);
    // An editor of roles at Acme who may not see its people.
    const editor = w.user('role-editor', acme);
    w.bind(editor, w.role(acme, ['groups.view', 'roles.view', 'roles.edit']), acme);
    const answer = await w.call(editor, 'roles.update', { id: role, baseVersion: w.version('role', role), scopeKind: 'location' });
    expect(answer.ok ? null : answer.error.code).toBe('CONFLICT');
    expect(answer.ok ? '' : answer.error.message).not.toContain('hidden-holder');
    expect(answer.ok ? '' : answer.error.message).toMatch(/1 binding/);
  });
});
