import { describe, expect, it } from 'vitest';
import type { MyAccess } from '../../shared/contract';
import { areaLevel, keyChanges, withAreaLevel } from '../../renderer/src/roles/matrix-model';
import { roleGuard } from '../../renderer/src/roles/role-guard';

const ROOT = 'root';
const ACME = 'acme';

function access(permissions: string[], deviceVisibility: 'scope' | 'assigned' = 'scope'): MyAccess {
  return {
    home: { groupId: ACME, path: [ACME, ROOT], kind: 'customer' },
    bindings: [
      {
        groupId: ACME,
        groupName: 'Acme',
        path: [ACME, ROOT],
        kind: 'customer',
        role: { id: 'r', name: 'Editor', permissions, deviceVisibility },
      },
    ],
  };
}

describe('the matrix: areas at None · Read · Full over single keys', () => {
  it('reads an area as Full when any full key is held, Read with read keys only, and flags a partial mix', () => {
    expect(areaLevel('audit', new Set())).toEqual({ level: 'none', partial: false });
    expect(areaLevel('audit', new Set(['audit.view']))).toEqual({ level: 'read', partial: false });
    expect(areaLevel('audit', new Set(['audit.export']))).toEqual({ level: 'full', partial: true });
    expect(areaLevel('audit', new Set(['audit.view', 'audit.export']))).toEqual({ level: 'full', partial: false });
  });

  it('setting a level changes only the keys the editor may change; locked keys keep their state', () => {
    const locked = (def: { key: string }) => (def.key === 'users.delete' ? 'not yours' : null);
    const full = withAreaLevel(new Set(['users.view']), 'users', 'full', locked);
    expect([...full].sort()).toEqual(['users.create', 'users.edit', 'users.view']);
    const none = withAreaLevel(new Set(['users.view', 'users.delete']), 'users', 'none', locked);
    expect([...none]).toEqual(['users.delete']);
    expect(keyChanges(new Set(['users.view', 'users.delete']), none)).toEqual({ added: [], removed: ['users.view'] });
  });
});

describe('the editor’s guard (R5), the same rule as the server', () => {
  const place = { path: [ACME, ROOT], kind: 'customer' as const, name: 'Acme' };

  it('locks keys the editor does not hold at the role’s group, naming them', () => {
    const guard = roleGuard({ builtin: null, ownerGroupId: ACME }, access(['roles.edit', 'users.view']), place);
    expect(guard.locked).toBeNull();
    expect(guard.keyLock('users.view', 'assigned')).toBeNull();
    expect(guard.keyLock('billing.manage', 'assigned')).toBe(
      'You do not hold “Change billing, plan and seat limit” (billing.manage) at Acme yourself, so you cannot give or take it away.',
    );
  });

  it('a role seeing every device needs the editor’s own grant of device keys to see every device', () => {
    const guard = roleGuard({ builtin: null, ownerGroupId: ACME }, access(['roles.edit', 'devices.view'], 'assigned'), place);
    expect(guard.keyLock('devices.view', 'assigned')).toBeNull();
    expect(guard.keyLock('devices.view', 'scope')).toMatch(/for every device, not only assigned ones/);
  });

  it('built-in roles are read-only, and without roles.edit the whole role is, with the permission named', () => {
    expect(roleGuard({ builtin: 'admin', ownerGroupId: null }, access(['roles.edit']), null).locked).toMatch(
      /^Built-in roles are protected/,
    );
    expect(roleGuard({ builtin: null, ownerGroupId: ACME }, access(['roles.view']), place).locked).toBe(
      'Needs “Edit roles” (roles.edit, also called edit_user_roles) at Acme, which your roles do not grant.',
    );
  });

  it('greys keys whose module is not available at the owner group’s kind (seed 001), with the reason', () => {
    const reseller = roleGuard({ builtin: null, ownerGroupId: 'r1' }, access([]), { path: ['r1', ROOT], kind: 'reseller' });
    expect(reseller.unavailable('deployment.run')).toMatch(/available only at end customers, not at reseller groups/);
    expect(reseller.unavailable('users.view')).toBeNull();
  });
});
