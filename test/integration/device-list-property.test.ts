import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { allowedChildKinds, type GroupKind } from '../../shared/access/groups';
import {
  DEVICE_KINDS,
  DEVICE_SORTS,
  DEVICE_STATUSES,
  type DeviceFacets,
  type DeviceFilter,
  type DeviceListOutput,
} from '../../shared/contract';
import { listDevices, NEVER, PLAN_SHAPES } from '../../main/features/devices/list';
import { deviceWhere } from '../../main/features/devices/query';
import { visibleTally } from '../../main/features/devices/aggregates';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 17: however devices.list is planned (walk, facet walks, drive; counted from the
 * tallies, the trigram index or SQL), its answer is the plain query's: the devices the
 * caller may see that match the filter (deviceWhere, held to decide() by the access
 * properties), in the sort's order, windowed by OFFSET. For random trees, roles, bindings,
 * assignments, fleets, filters, sorts and windows; a cursor from any answer continues with
 * the rows the plain query has after it; and the facets' counts equal a count of those rows.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const OS = ['Windows 11', 'Ubuntu 22.04', 'macOS 14'];
const WORDS = ['SRV', 'srv', 'Ärzte', 'PC_01', 'nas%', 'LT'];

const worldShape = fc.record({
  groups: fc.array(fc.record({ parent: fc.nat(), kind: fc.nat() }), { minLength: 1, maxLength: 10 }),
  users: fc.array(
    fc.record({
      home: fc.nat(),
      bindings: fc.array(fc.record({ role: fc.constantFrom(ROLE.admin, ROLE.operator, ROLE.viewer, 'custom'), group: fc.nat() }), {
        maxLength: 2,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  devices: fc.array(
    fc.record({
      group: fc.nat(),
      word: fc.constantFrom(...WORDS),
      n: fc.nat(40),
      status: fc.constantFrom(...DEVICE_STATUSES),
      kind: fc.constantFrom(...DEVICE_KINDS),
      os: fc.constantFrom(...OS),
      backup: fc.option(fc.nat(5), { nil: null }),
      holders: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { minLength: 15, maxLength: 60, size: 'large' },
  ),
});

const query = fc.record({
  filter: fc.record(
    {
      text: fc.constantFrom('srv', 'SRV-1', 'ä', 'rzte', '_0', '%', 'lt-'),
      statuses: fc.subarray([...DEVICE_STATUSES], { minLength: 1 }),
      kinds: fc.subarray([...DEVICE_KINDS], { minLength: 1 }),
      os: fc.subarray(OS, { minLength: 1 }),
      group: fc.nat(),
      assignment: fc.constantFrom('assigned', 'unassigned', 'any'),
    },
    { requiredKeys: [] },
  ),
  sort: fc.record({ column: fc.constantFrom(...DEVICE_SORTS), direction: fc.constantFrom('asc', 'desc') }),
  offset: fc.nat(20),
  limit: fc.integer({ min: 1, max: 25 }),
});

const BY_NAME = ['d.name COLLATE NOCASE', 'd.id'];
const ORDER: Record<(typeof DEVICE_SORTS)[number], string[]> = {
  name: BY_NAME,
  kind: ['d.kind', ...BY_NAME],
  os: ['d.os', ...BY_NAME],
  status: ['d.status', ...BY_NAME],
  lastBackupAt: [`ifnull(d.last_backup_at, ${NEVER})`, ...BY_NAME],
  group: ['g.name COLLATE NOCASE', 'g.id', ...BY_NAME],
};
const byCombination = (a: { status: string; kind: string; os: string }, b: { status: string; kind: string; os: string }) =>
  a.status !== b.status
    ? a.status < b.status
      ? -1
      : 1
    : a.kind !== b.kind
      ? a.kind < b.kind
        ? -1
        : 1
      : a.os < b.os
        ? -1
        : a.os > b.os
          ? 1
          : 0;

describe('devices.list as planned equals the plain query (issue 17)', () => {
  it('for random worlds, filters, sorts and windows; cursors continue it; facets count it', async () => {
    await fc.assert(
      fc.asyncProperty(worldShape, fc.array(query, { minLength: 1, maxLength: 6 }), async (shape, queries) => {
        const w = new World();
        worlds.push(w);
        const db = w.steward.db;
        const groups: Array<{ id: string; kind: GroupKind }> = [{ id: w.rootId, kind: 'provider' }];
        const named = new Set<string>();
        for (const g of shape.groups) {
          const parent = groups[g.parent % groups.length] ?? groups[0];
          const kinds = allowedChildKinds(parent?.kind ?? 'provider');
          const kind = kinds[g.kind % Math.max(kinds.length, 1)];
          // Groups of one name under different parents: the group sort orders them by id.
          const same = g.kind % 3 === 0 && parent !== undefined && !named.has(parent.id);
          if (same && parent) named.add(parent.id);
          if (parent && kind) groups.push({ id: w.group(parent.id, kind, same ? 'Same name' : undefined), kind });
        }
        const custom = w.role(w.rootId, ['devices.view'], 'assigned');
        const users = [w.ownerId];
        for (const [i, u] of shape.users.entries()) {
          const id = w.user(`user${i}`, groups[u.home % groups.length]?.id ?? w.rootId);
          users.push(id);
          const seen = new Set<string>();
          for (const b of u.bindings) {
            const role = b.role === 'custom' ? custom : b.role;
            const group = groups[b.group % groups.length]?.id ?? w.rootId;
            if (seen.has(`${role}@${group}`)) continue;
            seen.add(`${role}@${group}`);
            w.bind(id, role, group);
          }
        }
        const insert = db.prepare(
          'INSERT INTO devices (id, group_id, name, kind, os, status, last_backup_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)',
        );
        shape.devices.forEach((d, i) => {
          const id = `dv-${i}`;
          insert.run(id, groups[d.group % groups.length]?.id, `${d.word}-${d.n}-${i}`, d.kind, d.os, d.status, d.backup);
          for (const holder of new Set(d.holders.map((h) => users[h % users.length] ?? w.ownerId))) w.assign(id, holder);
        });

        for (const user of users) {
          for (const q of queries) {
            const filter: DeviceFilter = {
              ...(q.filter.text ? { text: q.filter.text } : {}),
              ...(q.filter.statuses ? { statuses: q.filter.statuses } : {}),
              ...(q.filter.kinds ? { kinds: q.filter.kinds } : {}),
              ...(q.filter.os ? { os: q.filter.os } : {}),
              ...(q.filter.assignment ? { assignment: q.filter.assignment } : {}),
            };
            const sort = q.sort;
            const plain = deviceWhere(db, user, filter, { needGroup: true });
            const everything = (
              db
                .prepare(
                  `SELECT d.id ${plain.from} WHERE ${plain.where} ORDER BY ${ORDER[sort.column].map((k) => `${k} ${sort.direction}`).join(', ')}`,
                )
                .all(plain.params) as Array<{ id: string }>
            ).map((r) => r.id);
            const what = `${user} ${JSON.stringify(q)}`;
            // Every shape that applies gives the plain query's answer, not only the one the costs pick.
            for (const shape of PLAN_SHAPES) {
              const answer = listDevices(db, user, { filter, sort, window: { offset: q.offset, limit: q.limit } }, shape);
              const how = `${what} as ${answer.plan.shape}`;
              if (answer.plan.page && answer.plan.shape !== shape) continue;
              expect(answer.total, how).toBe(everything.length);
              expect(answer.ids, how).toEqual(everything.slice(q.offset, q.offset + q.limit));
              if (answer.after) {
                const window = { offset: q.offset + q.limit, limit: q.limit, after: answer.after };
                const next = listDevices(db, user, { filter, sort, window }, shape);
                expect(next.ids, `${how}, after the cursor`).toEqual(everything.slice(q.offset + q.limit, q.offset + 2 * q.limit));
              } else expect(everything.length, how).toBeLessThanOrEqual(q.offset + q.limit);
            }
            if (q.filter.group !== undefined) {
              // A group the caller may not see is refused by the operation's rule before any of this runs.
              const groupId = groups[q.filter.group % groups.length]?.id ?? w.rootId;
              const scoped = deviceWhere(db, user, { ...filter, groupId });
              const n = (db.prepare(`SELECT count(*) AS n ${scoped.from} WHERE ${scoped.where}`).get(scoped.params) as { n: number }).n;
              expect(listDevices(db, user, { filter: { ...filter, groupId }, sort, window: { offset: 0, limit: 5 } }).total, what).toBe(n);
            }
          }
          // The facets count what the plain query sees, combination by combination.
          const seen = deviceWhere(db, user, {});
          const counted = db
            .prepare(`SELECT d.status, d.kind, d.os, count(*) AS count ${seen.from} WHERE ${seen.where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
            .all(seen.params);
          const tally = visibleTally(db, user);
          const sorted = [...(tally?.rows ?? [])].sort(byCombination);
          expect(sorted, `${user} facets`).toEqual(counted);
          const facets = await w.ok<DeviceFacets>(user, 'devices.facets', {});
          expect(facets.total).toBe((await w.ok<DeviceListOutput>(user, 'devices.list', {})).total);
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
