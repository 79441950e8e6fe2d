import { describe, expect, it } from 'vitest';
import { areaPermissions, AREAS, PERMISSION_KEYS, PERMISSIONS, permission, type AreaId } from '../../../shared/access/catalog';
import { seedText as seed } from '../../helpers/seeds';

describe('permission catalog', () => {
  it('seed-002: every permission key seed 002 names exists in the catalog under that name', () => {
    const text = seed('002');
    const keys = [...new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])];
    expect(keys.length).toBeGreaterThanOrEqual(10);
    for (const key of keys) expect(permission(key), key).toBeDefined();
  });

  it('seed-003: every functionality row of the table is an area of the matrix', () => {
    const rows = seed('003')
      .split('\n')
      .filter((line) => line.split('|').length > 6 && !line.startsWith('Functionality') && !line.startsWith('---'))
      .map((line) => line.split('|')[0]?.trim() ?? '');
    expect(rows).toHaveLength(16);
    const labels = Object.values(AREAS) as string[];
    const aliases: Record<string, string> = {
      'Veeam backup agents': 'Backup agents',
      'Veeam Backup & Replication': 'Backup servers',
      'Veeam Backup for Public Clouds': 'Public cloud backup',
      'Veeam Backup for Microsoft 365': 'Microsoft 365 backup',
      'Veeam ONE': 'Monitoring and reporting tools',
      Invoices: 'Invoices and billing',
    };
    for (const row of rows) {
      if (row.startsWith('Configuration tasks')) {
        for (const task of [
          'Locations',
          'Portal users',
          'Backup policies',
          'Alarm settings',
          'Company info and branding',
          'Plugin library',
        ])
          expect(labels).toContain(task);
      } else {
        expect(labels, row).toContain(aliases[row] ?? row);
      }
    }
  });

  it('keys are unique and every key has an area, a level and a label', () => {
    expect(new Set(PERMISSIONS.map((p) => p.key)).size).toBe(PERMISSIONS.length);
    for (const def of PERMISSIONS) expect(Object.keys(AREAS)).toContain(def.area);
  });

  it('a key is read-level exactly when it only views (its action is view); every other key is full-level', () => {
    for (const def of PERMISSIONS) expect(`${def.key}: ${def.level}`).toBe(`${def.key}: ${def.key.endsWith('.view') ? 'read' : 'full'}`);
  });

  it('a key sits in the area its prefix names, except alarms (Active alarms) and manual backups (seed 003’s jobs row)', () => {
    const exceptions: Record<string, AreaId> = { 'alarms.view': 'activeAlarms', 'alarms.manage': 'activeAlarms', 'backups.run': 'jobs' };
    for (const def of PERMISSIONS) expect(`${def.key}: ${def.area}`).toBe(`${def.key}: ${exceptions[def.key] ?? def.key.split('.')[0]}`);
  });

  it('every permission and every area has its own label a person can read (the matrix and explanations show them)', () => {
    const labels = PERMISSIONS.map((p) => p.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const def of PERMISSIONS) expect(def.label.length, def.key).toBeGreaterThan(8);
    const areaLabels = Object.values(AREAS) as string[];
    expect(new Set(areaLabels).size).toBe(areaLabels.length);
    for (const label of areaLabels) expect(label.length).toBeGreaterThan(4);
  });

  it('permission() finds a key by its own name or by its seed-002 name, and nothing else', () => {
    expect(permission('users.create')).toStrictEqual({
      key: 'users.create',
      area: 'users',
      level: 'full',
      module: 'users',
      label: 'Create and invite users',
      seedName: 'create_additional_users',
      enforcedBy: 'console',
    });
    expect(permission('create_additional_users')).toBe(permission('users.create'));
    expect(permission('monitoring.view')).toStrictEqual({
      key: 'monitoring.view',
      area: 'monitoring',
      level: 'read',
      module: 'core',
      label: 'View monitoring data',
      enforcedBy: 'service',
    });
    expect(permission('undefined')).toBeUndefined();
    expect(permission('Users.create')).toBeUndefined();
  });

  it('the seed-002 names map to the keys they mean', () => {
    const bySeedName = Object.fromEntries(PERMISSIONS.filter((p) => p.seedName).map((p) => [p.seedName, p.key]));
    expect(bySeedName).toEqual({
      view_users_page: 'users.view',
      create_additional_users: 'users.create',
      edit_users: 'users.edit',
      delete_users: 'users.delete',
      create_user_role: 'roles.create',
      edit_user_roles: 'roles.edit',
      delete_user_roles: 'roles.delete',
      restore_disaster_recovery: 'restores.disasterRecovery',
      view_schedules_page: 'jobs.view',
      run_schedule: 'jobs.run',
    });
  });

  it('areaPermissions lists an area’s keys in catalog order; PERMISSION_KEYS is every key in catalog order', () => {
    expect(areaPermissions('users').map((p) => p.key)).toEqual(['users.view', 'users.create', 'users.edit', 'users.delete']);
    expect(PERMISSION_KEYS).toEqual(PERMISSIONS.map((p) => p.key));
    expect((Object.keys(AREAS) as AreaId[]).flatMap((a) => areaPermissions(a)).length).toBe(PERMISSIONS.length);
  });
});
