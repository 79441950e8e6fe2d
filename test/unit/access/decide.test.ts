import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permission, PERMISSION_KEYS } from '../../../shared/access/catalog';
import { decide, grantedAt, type Binding, type Target } from '../../../shared/access/decide';
import { GROUP_KINDS } from '../../../shared/access/groups';
import { moduleAvailable } from '../../../shared/access/modules';
import { bind, PATH, role } from './fixtures';

const deviceAt = (path: readonly string[], assignedToSubject: boolean): Target => ({
  type: 'device',
  id: 'laptop',
  path,
  kind: 'customer',
  assignedToSubject,
});
const userAt = (path: readonly string[]): Target => ({ type: 'user', id: 'fay', path, kind: 'customer' });

describe('decide (R2): a binding on the target’s path whose role grants the key', () => {
  const editor = role('Editor', ['users.edit', 'users.view']);

  it('allows through a binding at the target’s own group or any group above it, naming that binding', () => {
    for (const at of ['acme', 'reseller', 'root']) {
      const binding = bind(at, editor);
      expect(decide([binding], 'users.edit', userAt(PATH.acme))).toEqual({
        allowed: true,
        binding,
        permission: permission('users.edit'),
      });
    }
  });

  it('refuses for scope when no binding sits on the path: a binding below or beside the target reaches nothing', () => {
    const below = bind('berlin', editor);
    const beside = bind('globex', editor);
    expect(decide([below, beside], 'users.edit', userAt(PATH.acme))).toEqual({
      allowed: false,
      missing: 'scope',
      permission: permission('users.edit'),
      candidates: [],
    });
  });

  it('refuses for permission when the bindings on the path lack the key, listing only those bindings as candidates', () => {
    const viewer = bind('acme', role('Viewer', ['users.view']));
    const elsewhere = bind('globex', editor);
    expect(decide([elsewhere, viewer], 'users.edit', userAt(PATH.acme))).toEqual({
      allowed: false,
      missing: 'permission',
      permission: permission('users.edit'),
      candidates: [viewer],
    });
  });

  it('answers unknown-permission for a key the catalog does not know, whatever the bindings', () => {
    expect(decide([bind('root', role('All', ['made.up']))], 'made.up', userAt(PATH.acme))).toEqual({
      allowed: false,
      missing: 'unknown-permission',
      candidates: [],
    });
  });

  it('accepts a key under the name seed 002 gives it, and reports the catalog’s permission', () => {
    const decision = decide([bind('acme', editor)], 'edit_users', userAt(PATH.acme));
    expect(decision).toMatchObject({ allowed: true, permission: { key: 'users.edit' } });
  });

  it('seed-001: refuses a key whose module does not exist at the target’s kind, even for a role that holds it', () => {
    const deployer = bind('root', role('Deployer', ['deployment.run']));
    const atReseller: Target = { type: 'group', id: 'reseller', path: PATH.reseller, kind: 'reseller' };
    expect(decide([deployer], 'deployment.run', atReseller)).toEqual({
      allowed: false,
      missing: 'module',
      permission: permission('deployment.run'),
      candidates: [],
    });
    expect(decide([deployer], 'deployment.run', { ...atReseller, path: PATH.acme, kind: 'customer' }).allowed).toBe(true);
  });

  it('a role that sees assigned devices only reaches a device only when it is assigned to the subject', () => {
    const operator = bind('acme', role('Operator', ['devices.view'], 'assigned'));
    expect(decide([operator], 'devices.view', deviceAt(PATH.acme, true))).toMatchObject({ allowed: true, binding: operator });
    expect(decide([operator], 'devices.view', deviceAt(PATH.acme, false))).toEqual({
      allowed: false,
      missing: 'assignment',
      permission: permission('devices.view'),
      candidates: [operator],
    });
  });

  it('the assignment limit is about devices only: the same role acts on users and groups in its scope', () => {
    const operator = bind('acme', role('Operator', ['users.view', 'groups.view'], 'assigned'));
    expect(decide([operator], 'users.view', userAt(PATH.acme)).allowed).toBe(true);
    expect(decide([operator], 'groups.view', { type: 'group', id: 'acme', path: PATH.acme, kind: 'customer' }).allowed).toBe(true);
  });

  it('a role that sees its whole scope reaches unassigned devices, even when another binding is limited to assigned ones', () => {
    const limited = bind('acme', role('Operator', ['devices.view'], 'assigned'));
    const admin = bind('reseller', role('Admin', ['devices.view'], 'scope'));
    expect(decide([limited, admin], 'devices.view', deviceAt(PATH.acme, false))).toMatchObject({ allowed: true, binding: admin });
  });

  it('the first binding on the path that grants the key decides', () => {
    const first = bind('acme', role('A', ['users.view']));
    const second = bind('root', role('B', ['users.view']));
    expect(decide([first, second], 'users.view', userAt(PATH.acme))).toMatchObject({ binding: first });
    expect(decide([second, first], 'users.view', userAt(PATH.acme))).toMatchObject({ binding: second });
  });
});

describe('grantedAt: every key held at a place, after module availability', () => {
  it('unites the keys of the bindings on the path and ignores bindings elsewhere', () => {
    const bindings = [
      bind('acme', role('A', ['users.view'])),
      bind('root', role('B', ['jobs.view'])),
      bind('globex', role('C', ['billing.view'])),
    ];
    expect([...grantedAt(bindings, { path: PATH.berlin, kind: 'location' })].sort()).toEqual(['jobs.view', 'users.view']);
  });

  it('seed-001: drops deployment keys above end customers and keeps them inside one', () => {
    const bindings = [bind('root', role('Deployer', ['deployment.run', 'devices.view']))];
    expect([...grantedAt(bindings, { path: PATH.reseller, kind: 'reseller' })]).toEqual(['devices.view']);
    expect([...grantedAt(bindings, { path: PATH.finance, kind: 'department' })].sort()).toEqual(['deployment.run', 'devices.view']);
  });

  it('drops keys the catalog does not know (a role stored before a key was retired)', () => {
    const bindings = [bind('acme', role('Old', ['retired.key', 'users.view']))];
    expect([...grantedAt(bindings, { path: PATH.acme, kind: 'customer' })]).toEqual(['users.view']);
  });
});

/** Random bindings on the fixture tree's groups, with random keys and device visibility. */
const groupIds = ['root', 'reseller', 'acme', 'berlin', 'finance', 'globex'];
const someKeys = ['users.view', 'users.edit', 'devices.view', 'deployment.run', 'billing.manage', 'jobs.run'];
const arbBinding: fc.Arbitrary<Binding> = fc
  .record({
    groupId: fc.constantFrom(...groupIds),
    keys: fc.subarray(someKeys),
    visibility: fc.constantFrom('scope' as const, 'assigned' as const),
  })
  .map(({ groupId, keys, visibility }) => bind(groupId, role(`R@${groupId}`, keys, visibility)));
const arbTarget: fc.Arbitrary<Target> = fc.record({
  type: fc.constantFrom('group' as const, 'user' as const, 'role' as const, 'device' as const),
  id: fc.constant('t'),
  path: fc.constantFrom(...Object.values(PATH)),
  kind: fc.constantFrom(...GROUP_KINDS),
  assignedToSubject: fc.boolean(),
});

describe('decide, on random bindings and targets', () => {
  it('allows exactly when some binding on the path holds the key, its module exists there, and assignment does not block it', () => {
    fc.assert(
      fc.property(fc.array(arbBinding, { maxLength: 5 }), arbTarget, fc.constantFrom(...someKeys), (bindings, target, key) => {
        const def = permission(key);
        if (!def) throw new Error(key);
        const reaches = (b: Binding) =>
          target.path.includes(b.groupId) &&
          b.role.permissions.has(key) &&
          !(target.type === 'device' && b.role.deviceVisibility === 'assigned' && !target.assignedToSubject);
        const expected = moduleAvailable(def.module, target.kind) && bindings.some(reaches);
        const decision = decide(bindings, key, target);
        expect(decision.allowed).toBe(expected);
        if (decision.allowed) expect(reaches(decision.binding)).toBe(true);
        else expect(decision.candidates.every((b) => target.path.includes(b.groupId))).toBe(true);
      }),
    );
  });

  it('outside devices, decide allows a key exactly when grantedAt lists it at that place', () => {
    fc.assert(
      fc.property(fc.array(arbBinding, { maxLength: 5 }), arbTarget, (bindings, target) => {
        const place = { ...target, type: 'group' as const };
        const granted = grantedAt(bindings, place);
        for (const key of PERMISSION_KEYS) expect(decide(bindings, key, place).allowed, key).toBe(granted.has(key));
      }),
      { numRuns: 25 },
    );
  });
});
