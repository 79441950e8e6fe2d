import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/contract';
import { writeAssignments } from '../../main/features/devices/assignment-batch';
import { World, ROLE } from '../helpers/world';

const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const stored = (w: World) => w.steward.db.prepare('SELECT group_id, n FROM device_unassigned ORDER BY 1').all();
const recount = (w: World) =>
  w.steward.db
    .prepare(
      `SELECT c.ancestor AS group_id, count(*) AS n FROM devices d JOIN group_closure c ON c.descendant = d.group_id
       WHERE NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.device_id = d.id) GROUP BY 1 ORDER BY 1`,
    )
    .all();

/**
 * The unassigned counts (R33) after bulk jobs, through commands (an outside attack of
 * session 11 found the first batch version deleting an ancestor's row it had just counted
 * down): each equals a recount of the devices with no assignment.
 */
describe('unassigned counts after bulk jobs', () => {
  it('a bulk assign job that empties a group’s count keeps its ancestors’ counts (devices.bulkAssign)', async () => {
    const w = new World();
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer');
    const inAcme = w.device(acme);
    w.device(w.rootId);
    const ana = w.user('ana', w.rootId);
    w.bind(ana, ROLE.operator, w.rootId);
    expect(stored(w)).toEqual(recount(w));
    await w.ok<JobInfo>(w.ownerId, 'devices.bulkAssign', { selection: { deviceIds: [inAcme] }, userIds: [ana], action: 'assign' });
    w.steward.jobs.drain();
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM device_assignments').get()).toEqual({ n: 1 });
    // root's count goes from 2 to 1 while acme's row empties: only acme's row may go.
    expect(stored(w)).toEqual(recount(w));
  });

  it('the same, writeAssignments directly', () => {
    const w = new World();
    worlds.push(w);
    const db = w.steward.db;
    const acme = w.group(w.rootId, 'customer');
    const d1 = w.device(acme);
    w.device(w.rootId);
    const ana = w.user('ana', w.rootId);
    db.transaction(() => writeAssignments(db, 'insert', [[d1, ana]])).immediate();
    expect(stored(w)).toEqual(recount(w));
  });

  it('job, groups.move, job: counts equal a recount', async () => {
    const w = new World();
    worlds.push(w);
    const a = w.group(w.rootId, 'distributor');
    const b = w.group(w.rootId, 'distributor');
    const c = w.group(a, 'customer');
    const [c1, c2] = [w.device(c), w.device(c), w.device(c)];
    const ana = w.user('ana', w.rootId);
    w.bind(ana, ROLE.operator, w.rootId);
    await w.ok(w.ownerId, 'devices.bulkAssign', { selection: { deviceIds: [c1] }, userIds: [ana], action: 'assign' });
    w.steward.jobs.drain();
    expect(stored(w)).toEqual(recount(w));
    await w.ok(w.ownerId, 'groups.move', { id: c, parentId: b });
    expect(stored(w)).toEqual(recount(w));
    await w.ok(w.ownerId, 'devices.bulkAssign', { selection: { deviceIds: [c2] }, userIds: [ana], action: 'assign' });
    w.steward.jobs.drain();
    expect(w.steward.db.prepare('SELECT count(*) AS n FROM device_assignments').get()).toEqual({ n: 2 });
    expect(stored(w)).toEqual(recount(w));
  });

  it('counts equal a recount after each step of a mixed sequence through commands', async () => {
    const w = new World();
    worlds.push(w);
    const db = w.steward.db;
    const a = w.group(w.rootId, 'distributor');
    const b = w.group(w.rootId, 'distributor');
    const c = w.group(a, 'customer');
    const site = w.group(c, 'location');
    const devs = [c, c, site, site, a, b, w.rootId, site].map((g) => w.device(g));
    const dev = (i: number) => devs[i] ?? '';
    const [ana, bo] = [w.user('ana', w.rootId), w.user('bo', w.rootId)];
    w.bind(ana, ROLE.operator, w.rootId);
    w.bind(bo, ROLE.operator, w.rootId);
    const check = (step: string) => {
      expect(stored(w), step).toEqual(recount(w));
      expect(db.prepare('SELECT count(*) AS n FROM tally_batch').get(), step).toEqual({ n: 0 });
    };
    const job = async (deviceIds: string[], userIds: string[], action: 'assign' | 'unassign') => {
      const j = await w.ok<{ id: string }>(w.ownerId, 'devices.bulkAssign', { selection: { deviceIds }, userIds, action });
      w.steward.jobs.drain();
      return j.id;
    };
    w.assign(dev(0), ana);
    check('single assign');
    const j1 = await job(devs.slice(0, 6), [ana, bo], 'assign');
    check('assign job');
    await w.ok(w.ownerId, 'groups.move', { id: c, parentId: b });
    check('group move');
    db.prepare('UPDATE devices SET group_id = ? WHERE id = ?').run(a, dev(2));
    db.prepare('DELETE FROM devices WHERE id = ?').run(dev(3));
    check('device move and delete');
    const j2 = await job([dev(0), dev(2), dev(6), dev(7)], [ana], 'unassign');
    check('unassign job');
    await w.ok(w.ownerId, 'devices.jobUndo', { jobId: j1 });
    w.steward.jobs.drain();
    check('undo of the assign job');
    await w.ok(w.ownerId, 'devices.jobUndo', { jobId: j2 });
    w.steward.jobs.drain();
    check('undo of the unassign job');
    await job(
      devs.filter((d) => d !== dev(3)),
      [bo],
      'assign',
    );
    check('assign everything');
    await job(
      devs.filter((d) => d !== dev(3)),
      [ana, bo],
      'unassign',
    );
    check('unassign everything');
  });
});
