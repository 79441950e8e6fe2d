import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceFacets, DeviceFilter, DeviceListOutput } from '../../shared/contract';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../../shared/contract';
import { seedCompany } from '../helpers/fleet';
import type { World } from '../helpers/world';

/**
 * Issue 15, finding 6: what devices.facets means, written against devices.list alone so that
 * any implementation (grouped counts, per-group aggregates) must satisfy it. Each facet's
 * count for a value is what the list counts when the facet's own condition is that value and
 * every other condition of the filter stays; the total is the list's count for the whole filter.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

type Facet = 'os' | 'kinds' | 'statuses';
const FACETS: Facet[] = ['os', 'kinds', 'statuses'];

function company() {
  const c = seedCompany();
  worlds.push(c.w);
  for (const id of c.acmeDevices.slice(0, 12)) c.w.assign(id, c.people.operator);
  return c;
}

async function count(w: World, userId: string, filter: DeviceFilter): Promise<number> {
  return (await w.ok<DeviceListOutput>(userId, 'devices.list', { filter, window: { offset: 0, limit: 1 } })).total;
}

/** Every value the facet could take among the caller's devices, found by asking the list with the facet's condition dropped. */
async function candidates(w: World, userId: string, facet: Facet): Promise<string[]> {
  if (facet === 'kinds') return [...DEVICE_KINDS];
  if (facet === 'statuses') return [...DEVICE_STATUSES];
  const { rows } = await w.ok<DeviceListOutput>(userId, 'devices.list', { window: { offset: 0, limit: 500 } });
  return [...new Set(rows.map((r) => r.os))];
}

async function expectCrossFiltered(w: World, userId: string, filter: DeviceFilter) {
  const facets = await w.ok<DeviceFacets>(userId, 'devices.facets', { filter });
  expect(facets.total, 'total').toBe(await count(w, userId, filter));
  for (const facet of FACETS) {
    const expected: Array<{ value: string; count: number }> = [];
    for (const value of await candidates(w, userId, facet)) {
      const n = await count(w, userId, { ...filter, [facet]: [value] });
      if (n > 0) expected.push({ value, count: n });
    }
    const byCount = (a: { value: string; count: number }, b: { value: string; count: number }) =>
      b.count - a.count || a.value.localeCompare(b.value);
    expect(facets[facet], `${facet} for ${JSON.stringify(filter)}`).toEqual(expected.sort(byCount));
  }
}

describe('devices.facets: cross-filtered counts (issue 15, finding 6)', () => {
  it('with no filter, each facet counts every device the caller may see, and the counts add up to the total', async () => {
    const { w, people } = company();
    await expectCrossFiltered(w, people.admin, {});
    const facets = await w.ok<DeviceFacets>(people.admin, 'devices.facets', {});
    for (const facet of FACETS) expect(facets[facet].reduce((n, f) => n + f.count, 0)).toBe(facets.total);
  });

  it('a kind chosen narrows the OS and status counts, never the kind counts: no OS is offered that the kind would turn into nothing', async () => {
    const { w, people } = company();
    await expectCrossFiltered(w, people.admin, { kinds: ['server'] });
    const facets = await w.ok<DeviceFacets>(people.admin, 'devices.facets', { filter: { kinds: ['server'] } });
    for (const os of facets.os) expect(await count(w, people.admin, { kinds: ['server'], os: [os.value] })).toBe(os.count);
    const all = await w.ok<DeviceFacets>(people.admin, 'devices.facets', {});
    expect(facets.kinds).toEqual(all.kinds);
  });

  it('several values in one facet are alternatives (OR), conditions across facets all apply (AND)', async () => {
    const { w, people, berlin } = company();
    await expectCrossFiltered(w, people.admin, { os: ['Ubuntu 22.04', 'Windows 11'], statuses: ['failed', 'ok'] });
    await expectCrossFiltered(w, people.admin, { kinds: ['server', 'workstation'], os: ['Ubuntu 22.04'], groupId: berlin });
    await expectCrossFiltered(w, people.admin, { text: '01', assignment: 'unassigned', statuses: ['warning'] });
  });

  it('the group, text, assignment and assignee conditions narrow every facet', async () => {
    const { w, people, berlin } = company();
    await expectCrossFiltered(w, people.admin, { groupId: berlin });
    await expectCrossFiltered(w, people.admin, { assignment: 'assigned', kinds: ['storage'] });
    await expectCrossFiltered(w, people.admin, { assigneeId: people.operator, os: ['Windows 11'] });
  });

  it('counts only what the caller may see (R4): an Operator’s facets count their own devices', async () => {
    const { w, people } = company();
    await expectCrossFiltered(w, people.operator, {});
    await expectCrossFiltered(w, people.operator, { statuses: ['ok', 'failed'] });
    expect((await w.ok<DeviceFacets>(people.operator, 'devices.facets', {})).total).toBe(12);
    expect((await w.ok<DeviceFacets>(people.globexOperator, 'devices.facets', {})).total).toBe(0);
  });

  it('a group or member the caller may not see is refused on its field, as for the list', async () => {
    const { w, people, globex } = company();
    const group = await w.call(people.admin, 'devices.facets', { filter: { groupId: globex } });
    expect(group.ok ? null : [group.error.code, group.error.field]).toEqual(['NOT_FOUND', 'filter.groupId']);
    const member = await w.call(people.operator, 'devices.facets', { filter: { assigneeId: people.viewer } });
    expect(member.ok ? null : [member.error.code, member.error.field]).toEqual(['NOT_FOUND', 'filter.assigneeId']);
  });
});
