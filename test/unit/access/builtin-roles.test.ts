import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, type BuiltinRole } from '../../../shared/access/builtin-roles';
import { permission, PERMISSION_KEYS } from '../../../shared/access/catalog';

function builtin(key: BuiltinRole['key']): BuiltinRole {
  const r = BUILTIN_ROLES.find((b) => b.key === key);
  if (!r) throw new Error(key);
  return r;
}

describe('seed-000: the four built-in roles', () => {
  it('are Owner, Admin, Operator and Viewer, each with a description a person can read', () => {
    expect(BUILTIN_ROLES.map((r) => [r.key, r.name])).toEqual([
      ['owner', 'Owner'],
      ['admin', 'Admin'],
      ['operator', 'Operator'],
      ['viewer', 'Viewer'],
    ]);
    for (const r of BUILTIN_ROLES) expect(r.description.length, r.key).toBeGreaterThan(40);
  });

  it('the Owner holds every permission', () => {
    expect([...builtin('owner').permissions]).toEqual([...PERMISSION_KEYS]);
  });

  it('an Admin holds everything except modifying billing and transferring ownership', () => {
    expect(PERMISSION_KEYS.filter((k) => !builtin('admin').permissions.includes(k))).toEqual(['billing.manage', 'ownership.transfer']);
  });

  it('Owners and Admins see all devices; Operators and Viewers only their assigned devices', () => {
    expect(BUILTIN_ROLES.map((r) => [r.key, r.deviceVisibility])).toEqual([
      ['owner', 'scope'],
      ['admin', 'scope'],
      ['operator', 'assigned'],
      ['viewer', 'assigned'],
    ]);
  });

  it('an Operator runs manual backups and restores but cannot manage team members or change account settings', () => {
    const keys = builtin('operator').permissions;
    for (const k of ['devices.view', 'backups.run', 'jobs.run', 'restores.run']) expect(keys, k).toContain(k);
    expect(keys.filter((k) => /^(users|roles|settings|billing|ownership)\./.test(k) || k.endsWith('.manage'))).toEqual([]);
  });

  it('a Viewer is read-only (dashboard, device status, backup history) and holds nothing an Operator lacks', () => {
    const keys = builtin('viewer').permissions;
    for (const k of ['dashboard.view', 'devices.view', 'jobs.view']) expect(keys, k).toContain(k);
    expect(keys.filter((k) => permission(k)?.level !== 'read')).toEqual([]);
    expect(keys.filter((k) => !builtin('operator').permissions.includes(k))).toEqual([]);
  });

  it('Operator and Viewer hold exactly these keys', () => {
    expect([...builtin('operator').permissions].sort()).toEqual(
      [
        'agents.view',
        'alarms.view',
        'backupServers.view',
        'backups.run',
        'charts.view',
        'dashboard.view',
        'devices.view',
        'failover.view',
        'groups.view',
        'jobs.run',
        'jobs.view',
        'm365.view',
        'monitoring.view',
        'protectedData.view',
        'publicCloud.view',
        'reports.view',
        'restores.run',
      ].sort(),
    );
    expect([...builtin('viewer').permissions].sort()).toEqual(
      [
        'alarms.view',
        'charts.view',
        'dashboard.view',
        'devices.view',
        'groups.view',
        'jobs.view',
        'monitoring.view',
        'protectedData.view',
        'reports.view',
      ].sort(),
    );
  });
});
