import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceDetail, DeviceFacets, DeviceListOutput, DeviceRow, GroupSummary, UserDetail } from '../../shared/contract';
import { check, resolveTarget } from '../../main/features/access/access';
import { seedCompany } from '../helpers/fleet';
import { ROLE, type World } from '../helpers/world';

/** Issue 6, seed 000: the device inventory as each role sees it, and every count agreeing with decide(). */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

function company() {
  const c = seedCompany();
  worlds.push(c.w);
  const { w, people, acmeDevices, berlinDevices } = c;
  // Seed 000: a device may be held by several members.
  for (const id of acmeDevices.slice(0, 10)) w.assign(id, people.operator);
  for (const id of acmeDevices.slice(5, 15)) w.assign(id, people.viewer);
  for (const id of berlinDevices.slice(0, 3)) w.assign(id, people.operator2);
  return c;
}

async function listAll(w: World, userId: string, input: Record<string, unknown> = {}): Promise<DeviceListOutput> {
  return w.ok<DeviceListOutput>(userId, 'devices.list', { ...input, window: { offset: 0, limit: 500 } });
}

const ids = (rows: DeviceRow[]) => rows.map((r) => r.id).sort();

/** The single-object rule, asked of every device in the database. */
function decidedVisible(w: World, userId: string): string[] {
  const all = w.steward.db.prepare('SELECT id FROM devices').all() as Array<{ id: string }>;
  return all
    .filter(({ id }) => {
      const target = resolveTarget(w.steward.db, 'device', id, userId);
      return target !== undefined && check(w.steward.db, userId, 'devices.view', target).allowed;
    })
    .map((d) => d.id)
    .sort();
}

describe('devices: visibility (seed 000)', () => {
  it('seed-000: Owners and Admins see every device of their company, unassigned ones included; other companies never', async () => {
    const { w, people, acmeDevices, berlinDevices } = company();
    for (const who of [people.owner, people.admin]) {
      const list = await listAll(w, who);
      expect(list.total).toBe(60);
      expect(ids(list.rows)).toEqual([...acmeDevices, ...berlinDevices].sort());
    }
  });

  it('seed-000: Operators and Viewers see only the devices assigned to them, never unassigned ones', async () => {
    const { w, people, acmeDevices, berlinDevices } = company();
    expect(ids((await listAll(w, people.operator)).rows)).toEqual(acmeDevices.slice(0, 10).sort());
    expect(ids((await listAll(w, people.viewer)).rows)).toEqual(acmeDevices.slice(5, 15).sort());
    expect(ids((await listAll(w, people.operator2)).rows)).toEqual(berlinDevices.slice(0, 3).sort());
    expect((await listAll(w, people.operator, { filter: { assignment: 'unassigned' } })).total).toBe(0);
    // Globex's Operator holds nothing, so sees nothing, though Globex has ten devices.
    expect((await listAll(w, people.globexOperator)).total).toBe(0);
  });

  it('the list and its count agree with decide() for every role', async () => {
    const { w, people, globexDevices, acmeDevices } = company();
    // Bindings at the root too: the provider's Owner, and an Operator over the whole tree holding two devices.
    const rootOperator = w.user('root-operator', w.rootId);
    w.bind(rootOperator, ROLE.operator, w.rootId);
    w.assign(globexDevices[1] ?? '', rootOperator);
    w.assign(acmeDevices[39] ?? '', rootOperator);
    for (const who of [...Object.values(people), w.ownerId, rootOperator]) {
      const list = await listAll(w, who);
      expect(ids(list.rows)).toEqual(decidedVisible(w, who));
      expect(list.total).toBe(list.rows.length);
      // canAssign on each row is decide(devices.assign) on that device.
      for (const row of list.rows) {
        const target = resolveTarget(w.steward.db, 'device', row.id, who);
        expect(row.canAssign).toBe(target !== undefined && check(w.steward.db, who, 'devices.assign', target).allowed);
      }
    }
  });

  it('seed-000: a device held by several members is visible to each, and shows only the holders the caller may see', async () => {
    const { w, people, acmeDevices } = company();
    const shared = acmeDevices[7] ?? '';
    const asAdmin = await w.ok<DeviceDetail>(people.admin, 'devices.get', { id: shared });
    expect(asAdmin.assignees.map((a) => a.userId).sort()).toEqual([people.operator, people.viewer].sort());
    const asOperator = await w.ok<DeviceDetail>(people.operator, 'devices.get', { id: shared });
    // An Operator may not see team members, so learns only that the device is theirs.
    expect(asOperator.assignees.map((a) => a.userId)).toEqual([people.operator]);
    const asViewer = await w.ok<DeviceDetail>(people.viewer, 'devices.get', { id: shared });
    expect(asViewer.assignees.map((a) => a.userId)).toEqual([people.viewer]);
  });

  it('a device the caller may not see is NOT_FOUND, whether it exists or not', async () => {
    const { w, people, acmeDevices, globexDevices } = company();
    for (const id of [acmeDevices[30] ?? '', globexDevices[0] ?? '', 'no-such-device']) {
      const answer = await w.call(people.operator, 'devices.get', { id });
      expect(answer.ok ? 'ok' : answer.error.code).toBe('NOT_FOUND');
    }
  });

  it('a Viewer sees the assign action refused, with the missing permission named', async () => {
    const { w, people, acmeDevices } = company();
    const list = await listAll(w, people.viewer);
    expect(list.assign.allowed).toBe(false);
    expect(list.assign.reason).toContain('devices.assign');
    expect(list.rows.every((r) => !r.canAssign)).toBe(true);
    const detail = await w.ok<DeviceDetail>(people.viewer, 'devices.get', { id: acmeDevices[6] ?? '' });
    expect(detail.canAssign).toBe(false);
    expect(detail.assignReason).toMatch(/devices\.assign|Assign devices/);
    const admin = await listAll(w, people.admin);
    expect(admin.assign).toEqual({ allowed: true, reason: null });
  });
});

describe('devices: filters, sort, windows and counts', () => {
  it('filters by OS and status, kind, name text, group subtree, assignment and assignee, with the count of matches', async () => {
    const { w, people, berlin } = company();
    const all = (await listAll(w, people.admin)).rows;
    const cases: Array<[Record<string, unknown>, (r: DeviceRow) => boolean]> = [
      [
        { os: ['Ubuntu 22.04'], statuses: ['failed', 'warning'] },
        (r) => r.os === 'Ubuntu 22.04' && ['failed', 'warning'].includes(r.status),
      ],
      [{ kinds: ['server'] }, (r) => r.kind === 'server'],
      [{ text: 'BERLIN-01' }, (r) => r.name.toLowerCase().includes('berlin-01')],
      [{ text: '_' }, (r) => r.name.includes('_')],
      [{ groupId: berlin }, (r) => r.groupId === berlin],
      [{ assignment: 'assigned' }, (r) => r.assignees.length > 0],
      [{ assignment: 'unassigned' }, (r) => r.assignees.length === 0],
      [{ assigneeId: people.viewer }, (r) => r.assignees.some((a) => a.userId === people.viewer)],
    ];
    for (const [filter, keep] of cases) {
      const list = await listAll(w, people.admin, { filter });
      const expected = all.filter(keep);
      expect(ids(list.rows), JSON.stringify(filter)).toEqual(ids(expected));
      expect(list.total).toBe(expected.length);
    }
  });

  it('sorts by every column in both directions, with the name as tie-break, and windows add up to the whole', async () => {
    const { w, people } = company();
    const collator = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
    const key: Record<string, (r: DeviceRow) => string | number> = {
      name: (r) => r.name.toLowerCase(),
      kind: (r) => r.kind,
      os: (r) => r.os,
      status: (r) => r.status,
      lastBackupAt: (r) => r.lastBackupAt ?? -1,
      group: (r) => r.groupName.toLowerCase(),
    };
    for (const column of Object.keys(key)) {
      for (const direction of ['asc', 'desc'] as const) {
        const rows = (await listAll(w, people.admin, { sort: { column, direction } })).rows;
        const expected = [...rows].sort((a, b) => {
          const ka = key[column]?.(a) ?? '';
          const kb = key[column]?.(b) ?? '';
          const primary = ka < kb ? -1 : ka > kb ? 1 : collator(a.name, b.name);
          return direction === 'asc' ? primary : -primary;
        });
        expect(
          rows.map((r) => r.id),
          `${column} ${direction}`,
        ).toEqual(expected.map((r) => r.id));
      }
    }
    const whole = (await listAll(w, people.admin, { sort: { column: 'status', direction: 'desc' } })).rows.map((r) => r.id);
    const pieces: string[] = [];
    for (let offset = 0; offset < 60; offset += 25) {
      const page = await w.ok<DeviceListOutput>(people.admin, 'devices.list', {
        sort: { column: 'status', direction: 'desc' },
        window: { offset, limit: 25 },
      });
      expect(page.total).toBe(60);
      pieces.push(...page.rows.map((r) => r.id));
    }
    expect(pieces).toEqual(whole);
  });

  it('facets count the visible devices only', async () => {
    const { w, people } = company();
    const facets = await w.ok<DeviceFacets>(people.operator, 'devices.facets', {});
    expect(facets.total).toBe(10);
    expect(facets.os.reduce((n, f) => n + f.count, 0)).toBe(10);
    const rows = (await listAll(w, people.operator)).rows;
    for (const f of facets.statuses) expect(f.count).toBe(rows.filter((r) => r.status === f.value).length);
  });

  it('filtering by a member the caller may not see is NOT_FOUND on that field', async () => {
    const { w, people } = company();
    const answer = await w.call(people.operator, 'devices.list', { filter: { assigneeId: people.viewer } });
    expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['NOT_FOUND', 'filter.assigneeId']);
    // Their own devices, though, are theirs to filter by.
    expect((await listAll(w, people.operator, { filter: { assigneeId: people.operator } })).total).toBe(10);
  });

  it('bad input names the field and the rule', async () => {
    const { w, people } = company();
    const tooBig = await w.call(people.admin, 'devices.list', { window: { offset: 0, limit: 501 } });
    expect(tooBig.ok ? null : [tooBig.error.code, tooBig.error.field]).toEqual(['VALIDATION', 'window.limit']);
    const badKind = await w.call(people.admin, 'devices.list', { filter: { kinds: ['toaster'] } });
    expect(badKind.ok ? null : badKind.error.code).toBe('VALIDATION');
  });
});

describe('devices: counts elsewhere obey the same visibility', () => {
  it('the customer tree’s device counts match the list, group by group, for every role', async () => {
    const { w, people, acme, berlin } = company();
    for (const who of [people.owner, people.operator, people.operator2, people.viewer]) {
      const tree = await w.ok<{ groups: GroupSummary[] }>(who, 'groups.tree', {});
      for (const groupId of [acme, berlin]) {
        const node = tree.groups.find((g) => g.id === groupId);
        const rows = (await listAll(w, who)).rows.filter((r) => r.groupId === groupId);
        expect(node?.deviceCount ?? 0).toBe(rows.length);
      }
    }
  });

  it('a member page counts only the member’s devices the caller may see', async () => {
    const { w, people, globexDevices } = company();
    // The Operator also holds a Globex device, which Acme's Admin cannot see.
    w.assign(globexDevices[0] ?? '', people.operator);
    const asAdmin = await w.ok<UserDetail>(people.admin, 'users.get', { id: people.operator });
    expect(asAdmin.deviceCount).toBe(10);
    expect((await listAll(w, people.admin, { filter: { assigneeId: people.operator } })).total).toBe(10);
  });

  it('the export holds exactly the visible devices matching the filter, and is audited', async () => {
    const { w, people } = company();
    const out = await w.ok<{ content: string; rows: number }>(people.viewer, 'devices.export', { format: 'csv' });
    expect(out.rows).toBe(10);
    const lines = out.content.trim().split('\r\n');
    expect(lines[0]).toBe('name,kind,os,status,lastBackupAt,group');
    expect(lines).toHaveLength(11);
    const audit = w.steward.db.prepare("SELECT after FROM audit_events WHERE action = 'devices.export'").get() as { after: string };
    expect(JSON.parse(audit.after)).toMatchObject({ rows: 10, format: 'csv' });
  });
});
