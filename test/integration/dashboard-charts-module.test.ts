import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DashboardSummary } from '../../shared/contract';
import type * as Modules from '../../shared/access/modules';
import { tempSteward } from '../helpers/temp-steward';
import { World } from '../helpers/world';

/**
 * Seed 001: Historical charts exist only where the module is available for the group's kind.
 * Seed 001's table makes the module available at every kind, so to show the gate works this
 * file runs Steward with a table that limits it to end customers (as it limits automatic
 * deployment): the rule must follow the table, not the kinds of today's table.
 */
vi.mock('../../shared/access/modules', async (original) => {
  const real = await original<typeof Modules>();
  const MODULES = { ...real.MODULES, charts: { label: 'Historical charts', endCustomerOnly: true } } as const;
  const moduleAvailable = (module: keyof typeof MODULES, kind: Parameters<typeof real.moduleAvailable>[1]) =>
    !MODULES[module].endCustomerOnly || real.isEndCustomerKind(kind);
  return {
    ...real,
    MODULES,
    moduleAvailable,
    moduleUnavailableReason: (module: keyof typeof MODULES, kind: Parameters<typeof real.moduleAvailable>[1]) =>
      moduleAvailable(module, kind) ? null : `${MODULES[module].label} is available only at end customers, not at ${kind} groups`,
  };
});

// The module table is replaced in this thread only; a read worker would load the real one, so reads stay on the main thread here.
const w = new World(tempSteward({ readPool: false }));
afterAll(() => w.cleanup());

describe('the Historical charts module gates the charts by group kind (seed 001)', () => {
  const reseller = w.group(w.rootId, 'reseller', 'Reseller');
  const customer = w.group(reseller, 'customer', 'Customer');
  const site = w.group(customer, 'location', 'Site');

  it.each([
    ['provider', () => w.rootId, false],
    ['reseller', () => reseller, false],
    ['customer', () => customer, true],
    ['location', () => site, true],
  ] as const)('at a %s group the chart is %s', async (_kind, group, available) => {
    const result = await w.call(w.ownerId, 'dashboard.history', { groupId: group(), days: 30 });
    if (available) expect(result.ok).toBe(true);
    else
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', field: 'groupId', message: expect.stringMatching(/Historical charts/) },
      });
  });

  it('the dashboard offers charts only at groups whose kind has the module', async () => {
    const person = w.user('pat', w.rootId);
    w.bind(person, 'builtin-viewer', w.rootId);
    w.bind(person, 'builtin-viewer', customer);
    const summary = await w.ok<DashboardSummary>(person, 'dashboard.summary', {});
    expect(summary.chartGroups.map((g) => g.id)).toEqual([customer]);
  });
});
