import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceListOutput } from '../../shared/contract';
import type { Db } from '../../main/db/connection';
import { listDevices, type ListRequest, type Sql } from '../../main/features/devices/list';
import { visibleTally } from '../../main/features/devices/aggregates';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { member } from '../helpers/people';
import { ROLE, World } from '../helpers/world';
import { pretendStatistics, type StatRow } from '../helpers/planner-stats';

/**
 * Issue 17: the grid's statements keep their plan from 1,000 to 1,000,000 devices. A small
 * real fleet, with the planner told (sqlite_stat1, loaded by ANALYZE sqlite_schema) that the
 * tables are those of a 1,000-device and of a 1,000,000-device installation: the same
 * statements must read the same indexes at both sizes, never scan the devices table, never
 * build an automatic index, and a window walked in order must take its order from the index
 * (so its LIMIT stops the walk).
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

/** sqlite_stat1 for an installation of `devices` devices, shaped as the demo generator's (10 per group, 1 in 3 assigned). */
function pretendSize(db: Db, devices: number): void {
  const groups = Math.max(10, Math.round(devices / 100));
  const rows: StatRow[] = [
    ['devices', null, `${devices}`],
    ['devices', 'sqlite_autoindex_devices_1', `${devices} 1`],
    ['devices', 'devices_group_name', `${devices} 100 1`],
    ['devices', 'devices_by_name', `${devices} 1 1 1 1 1 1`],
    ['devices', 'devices_by_kind', `${devices} ${devices / 4} 1 1 1 1`],
    ['devices', 'devices_by_os', `${devices} ${Math.ceil(devices / 14)} 1 1 1 1`],
    ['devices', 'devices_by_status', `${devices} ${devices / 5} 1 1 1 1`],
    ['devices', 'devices_by_backup', `${devices} 2 1 1 1 1 1`],
    ['devices', 'devices_by_status_backup', `${devices} ${devices / 5} 2 1 1 1 1`],
    ['groups', 'sqlite_autoindex_groups_1', `${groups} 1`],
    ['groups', 'groups_parent', `${groups} 5`],
    ['groups', 'groups_by_name', `${groups} 2 1`],
    ['group_closure', 'group_closure', `${groups * 5} 5 1`],
    ['group_closure', 'group_closure_descendant', `${groups * 5} 5 1`],
    ['device_assignments', 'device_assignments', `${Math.round(devices / 3)} 1 1`],
    ['device_assignments', 'device_assignments_user', `${Math.round(devices / 3)} 50 1`],
    ['device_tally', 'device_tally', `${groups * 35} 35 7 2 1`],
    ['device_group_count', 'device_group_count', `${groups} 1`],
  ];
  pretendStatistics(db, rows);
}

function explain(db: Db, sql: Sql): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql.sql}`).all(sql.params) as Array<{ detail: string }>).map((r) => r.detail);
}

function fleet() {
  const w = new World();
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const berlin = w.group(acme, 'location', 'Berlin');
  const big = w.group(w.rootId, 'customer', 'Initech');
  const people = {
    owner: w.ownerId,
    admin: member(w, 'admin', acme, ROLE.admin),
    operator: member(w, 'operator', acme, ROLE.operator),
  };
  const acmeDevices = addDevices(w, acme, mixedSpecs('ACME-SRV', 30));
  addDevices(w, berlin, mixedSpecs('ACME-BER-PC', 20));
  addDevices(w, big, mixedSpecs('INIT-SRV', 300));
  addDevices(w, big, mixedSpecs('INIT-LT', 300));
  for (const id of acmeDevices.slice(0, 12)) w.assign(id, people.operator);
  return { w, people };
}

const QUERIES: Array<[string, ListRequest]> = [
  ['first window by name', { window: { offset: 0, limit: 200 } }],
  ['name contains', { filter: { text: 'srv' }, window: { offset: 0, limit: 200 } }],
  [
    'two filters and a sort',
    {
      filter: { os: ['Windows 11', 'Ubuntu 22.04'], statuses: ['warning', 'failed', 'offline'] },
      sort: { column: 'lastBackupAt', direction: 'desc' },
      window: { offset: 5, limit: 20 },
    },
  ],
  ['deep window by offset', { window: { offset: 450, limit: 100 } }],
  ['sorted by group', { sort: { column: 'group', direction: 'asc' }, window: { offset: 0, limit: 50 } }],
  ['sorted by kind', { sort: { column: 'kind', direction: 'desc' }, filter: { statuses: ['ok'] }, window: { offset: 0, limit: 50 } }],
];

/** What the plan may never do, whatever the shape: scan the devices table, or build an index of its own. */
function expectNoScan(lines: string[], what: string): void {
  for (const line of lines) {
    expect(line, what).not.toMatch(/AUTOMATIC/);
    expect(line, what).not.toMatch(/^SCAN d$|^SCAN devices$|^SCAN d \(|^SCAN g$/);
  }
}

describe('R31: devices.list plans (issue 17)', () => {
  it('keep their plan at 1,000 and at 1,000,000 devices, for the Owner, a customer Admin and an Operator', () => {
    const { w, people } = fleet();
    const db = w.steward.db;
    for (const [who, actor] of Object.entries(people)) {
      for (const [label, request] of QUERIES) {
        const what = `${who}: ${label}`;
        const plans = [1_000, 1_000_000].map((size) => {
          pretendSize(db, size);
          const answer = listDevices(db, actor, request);
          const count = answer.plan.count === 'tally' ? ['tally'] : explain(db, answer.plan.count);
          const page = answer.plan.page ? explain(db, answer.plan.page) : [];
          return { answer, count, page };
        });
        const [small, large] = plans as [(typeof plans)[number], (typeof plans)[number]];
        expect(large.page, what).toEqual(small.page);
        expect(large.count, what).toEqual(small.count);
        expect(large.answer.ids, what).toEqual(small.answer.ids);
        expectNoScan([...large.page, ...large.count], what);
        // A count never walks an index from end to end: it reads the tallies, the trigram index or the fewest candidates.
        for (const line of large.count) expect(line, what).not.toMatch(/^SCAN d USING/);
        if (large.answer.plan.shape === 'walk' && large.answer.plan.page) {
          // The order comes from the index walked, so the window's LIMIT ends the walk.
          expect(large.page.join(' | '), what).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
          expect(large.page[0], what).toMatch(/^SCAN [dg] USING (COVERING )?INDEX (devices_by_|groups_by_name)/);
        }
      }
    }
  });

  it('chooses by the counts the tallies give: the Owner walks the name index, an Admin of a small customer reads its groups, an Operator their own devices', () => {
    const { w, people } = fleet();
    const db = w.steward.db;
    pretendSize(db, 1_000_000);
    const first = { window: { offset: 0, limit: 50 } };
    expect(listDevices(db, people.owner, first).plan).toMatchObject({ shape: 'walk', count: 'tally' });
    expect(listDevices(db, people.admin, first).plan).toMatchObject({ shape: 'groups', count: 'tally' });
    expect(listDevices(db, people.operator, first).plan).toMatchObject({ shape: 'held', count: 'tally' });
    // "Contains" is counted through the trigram index, never by reading names.
    const text = listDevices(db, people.owner, { filter: { text: 'init-srv-0' }, window: { offset: 0, limit: 50 } });
    expect(text.total).toBe(100);
    const counting = explain(db, text.plan.count as Sql);
    expect(counting).toContainEqual(expect.stringMatching(/^SCAN (f|devices_fts) VIRTUAL TABLE INDEX 0:M/));
    // Its stale entries are looked up by rowid, not tested for each match.
    expect(counting).toContainEqual(expect.stringMatching(/ROWID SEARCH ON TABLE devices_fts_stale/));
    expectNoScan(counting, 'contains');
    expect(counting.join(' | ')).not.toMatch(/\bd USING|SCAN d\b/);
    // A status filter sorted by backup time walks each status apart, from the index that orders within a status.
    const failed = listDevices(db, people.owner, {
      filter: { statuses: ['failed', 'never'] },
      sort: { column: 'lastBackupAt', direction: 'asc' },
      window: { offset: 0, limit: 10 },
    });
    expect(failed.plan.shape).toBe('facet');
    expect(explain(db, failed.plan.page as Sql).filter((l) => l.includes('devices_by_status_backup'))).toHaveLength(2);
  });

  it('a cursor continues the walk from the last row: the same rows as the offset, read from an index range, for every sort', async () => {
    const { w, people } = fleet();
    const db = w.steward.db;
    pretendSize(db, 1_000_000);
    const sorts = ['name', 'kind', 'os', 'status', 'lastBackupAt', 'group'] as const;
    for (const column of sorts) {
      for (const direction of ['asc', 'desc'] as const) {
        const sort = { column, direction };
        // The same order read by offsets (a window holds at most 500 rows).
        const byOffset = [0, 500].map((offset) =>
          w.ok<DeviceListOutput>(people.owner, 'devices.list', { sort, window: { offset, limit: 500 } }),
        );
        const whole = (await Promise.all(byOffset)).flatMap((p) => p.rows.map((r) => r.id));
        const total = (await byOffset[0])?.total;
        const paged: string[] = [];
        let after: string | null = null;
        for (let offset = 0; ; offset += 37) {
          const window: { offset: number; limit: number; after?: string } = { offset, limit: 37 };
          if (after) window.after = after;
          const page: DeviceListOutput = await w.ok<DeviceListOutput>(people.owner, 'devices.list', { sort, window });
          paged.push(...page.rows.map((r) => r.id));
          expect(page.total).toBe(total);
          if (!page.after) break;
          after = page.after;
          const plan = listDevices(db, people.owner, { sort, window: { offset, limit: 37, after } }).plan.page as Sql;
          const lines = explain(db, plan);
          expectNoScan(lines, `${column} ${direction}`);
          // Each range of the union starts where the cursor is: SEARCH, not a walk from the first row.
          const reads = lines.filter((l) => /^(SCAN|SEARCH) [dg] /.test(l));
          expect(reads.length, `${column} ${direction}`).toBeGreaterThan(0);
          for (const line of reads) expect(line, `${column} ${direction}`).toMatch(/^SEARCH /);
        }
        expect(paged, `${column} ${direction}`).toEqual(whole);
      }
    }
  });

  it('refuses a cursor of another sort, or one Steward did not make, naming window.after', async () => {
    const { w, people } = fleet();
    const first = await w.ok<DeviceListOutput>(people.owner, 'devices.list', { window: { offset: 0, limit: 10 } });
    for (const input of [
      { sort: { column: 'kind', direction: 'asc' }, window: { offset: 10, limit: 10, after: first.after } },
      { window: { offset: 10, limit: 10, after: 'not-a-cursor' } },
      { window: { offset: 10, limit: 10, after: Buffer.from('{"s":"name:asc","v":[1]}').toString('base64url') } },
    ]) {
      const answer = await w.call(people.owner, 'devices.list', input);
      expect(answer.ok ? null : [answer.error.code, answer.error.field]).toEqual(['VALIDATION', 'window.after']);
    }
  });

  it('facets and the tree read the tallies: whole subtrees for the Owner and an Admin, an Operator’s own devices besides', () => {
    const { w, people } = fleet();
    const db = w.steward.db;
    expect(visibleTally(db, people.owner)?.path).toBe('tally');
    expect(visibleTally(db, people.admin)?.path).toBe('tally');
    expect(visibleTally(db, people.operator)).toMatchObject({ path: 'tally+held', total: 12 });
  });
});
