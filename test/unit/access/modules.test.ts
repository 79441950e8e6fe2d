import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../shared/access/catalog';
import { GROUP_KINDS, type GroupKind } from '../../../shared/access/groups';
import { isEndCustomerKind, moduleAvailable, moduleUnavailableReason, MODULES, type ModuleId } from '../../../shared/access/modules';
import { seedText } from '../../helpers/seeds';

/** Seed 001's columns; locations and departments live inside an end customer, the provider above every distributor. */
const COLUMN: Record<GroupKind, 'Distributor' | 'Sub-distributor' | 'Reseller' | 'End-customer'> = {
  provider: 'Distributor',
  distributor: 'Distributor',
  sub_distributor: 'Sub-distributor',
  reseller: 'Reseller',
  customer: 'End-customer',
  location: 'End-customer',
  department: 'End-customer',
};

/** Seed 001's rows as the modules they name. */
const ROW_MODULE: Record<string, ModuleId> = {
  'Automatic deployment and generating passphrases': 'deployment',
  'Backup profiles': 'backupProfiles',
  'Group management': 'groups',
  'Device management': 'devices',
  'Historical charts': 'charts',
  'User management': 'users',
};

/**
 * Seed 001's table, read from the seed: a row that says "Unavailable Available" is
 * unavailable at distributors, sub-distributors and resellers and available at end
 * customers; the other rows are available at every kind.
 */
function seed001Table(): Array<{ module: ModuleId; available: (column: string) => boolean }> {
  const lines = seedText('001').split('\n');
  const start = lines.findIndex((l) => l.startsWith('Module or feature'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('Access to features'));
  return lines
    .slice(start + 1, end)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const name = Object.keys(ROW_MODULE).find((row) => line.startsWith(row));
      if (!name) throw new Error(`seed 001 row not understood: ${line}`);
      const endCustomerOnly = /Unavailable Available\s*$/.test(line);
      return { module: ROW_MODULE[name] as ModuleId, available: (column: string) => !endCustomerOnly || column === 'End-customer' };
    });
}

describe('seed-001: which modules exist at which kind of group', () => {
  it('every row of seed 001’s table holds for every kind of group', () => {
    const table = seed001Table();
    expect(table.map((r) => r.module).sort()).toEqual(
      Object.keys(ROW_MODULE)
        .map((k) => ROW_MODULE[k])
        .sort(),
    );
    for (const row of table)
      for (const kind of GROUP_KINDS)
        expect(moduleAvailable(row.module, kind), `${row.module} at ${kind}`).toBe(row.available(COLUMN[kind]));
  });

  it('the console’s own screens (not in the table) exist at every kind', () => {
    for (const kind of GROUP_KINDS) expect(moduleAvailable('core', kind)).toBe(true);
  });

  it('only the two deployment keys are unavailable at a reseller, and every key is available at a location', () => {
    expect(PERMISSIONS.filter((p) => !moduleAvailable(p.module, 'reseller')).map((p) => p.key)).toEqual([
      'deployment.run',
      'deployment.passphrases',
    ]);
    expect(PERMISSIONS.filter((p) => !moduleAvailable(p.module, 'location'))).toEqual([]);
  });

  it('end customers are the customer kind and everything inside one', () => {
    expect(GROUP_KINDS.filter(isEndCustomerKind)).toEqual(['customer', 'location', 'department']);
  });

  it('the reason names the module and the kind in words, and is null where the module exists', () => {
    expect(moduleUnavailableReason('deployment', 'sub_distributor')).toBe(
      'Automatic deployment and generating passphrases is available only at end customers, not at sub-distributor groups',
    );
    expect(moduleUnavailableReason('deployment', 'department')).toBeNull();
    expect(moduleUnavailableReason('users', 'provider')).toBeNull();
  });

  it('every module has a label a person can read', () => {
    for (const [id, module] of Object.entries(MODULES)) expect(module.label.length, id).toBeGreaterThan(3);
  });
});
