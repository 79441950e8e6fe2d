import { describe, expect, it } from 'vitest';
import { diffRoleVersions, type RoleContent } from '../../../shared/access/role-diff';

const base: RoleContent = {
  name: 'Operators',
  description: 'Day to day',
  deviceVisibility: 'assigned',
  scopeKind: null,
  permissions: ['jobs.view', 'jobs.run', 'devices.view'],
};

describe('diffRoleVersions', () => {
  it('finds no difference between equal versions, whatever the key order', () => {
    expect(diffRoleVersions(base, { ...base, permissions: [...base.permissions].reverse() })).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('lists added and removed keys sorted', () => {
    const next = { ...base, permissions: ['devices.view', 'restores.run', 'alarms.view'] };
    expect(diffRoleVersions(base, next)).toEqual({
      added: ['alarms.view', 'restores.run'],
      removed: ['jobs.run', 'jobs.view'],
      changed: [],
    });
  });

  it('names every changed field with its old and new value', () => {
    const next: RoleContent = { ...base, name: 'Supervisors', description: '', deviceVisibility: 'scope', scopeKind: 'department' };
    expect(diffRoleVersions(base, next).changed).toEqual([
      { field: 'name', from: 'Operators', to: 'Supervisors' },
      { field: 'description', from: 'Day to day', to: '' },
      { field: 'deviceVisibility', from: 'assigned', to: 'scope' },
      { field: 'scopeKind', from: null, to: 'department' },
    ]);
  });

  it('is the mirror image when the versions swap', () => {
    const next: RoleContent = { ...base, scopeKind: 'location', permissions: ['jobs.view', 'billing.view'] };
    const forward = diffRoleVersions(base, next);
    const backward = diffRoleVersions(next, base);
    expect(backward.added).toEqual(forward.removed);
    expect(backward.removed).toEqual(forward.added);
    expect(backward.changed).toEqual(forward.changed.map((c) => ({ field: c.field, from: c.to, to: c.from })));
  });
});
