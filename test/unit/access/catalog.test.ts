import { describe, expect, it } from 'vitest';
import { AREAS, PERMISSIONS, permission } from '../../shared/access/catalog';
import { seedText as seed } from '../helpers/seeds';

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
});
