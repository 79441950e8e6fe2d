import { afterEach, describe, expect, it } from 'vitest';
import type { BulkPlan, DeviceListOutput, JobInfo, JobResultRow } from '../../shared/contract';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { member } from '../helpers/people';
import { tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/** Issue 6: assigning devices to members, one by one and as jobs, with dry runs, cancel, undo and audit. */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

/** Jobs here run only when the test drains them, so each can be stopped at an exact chunk. */
function company() {
  const steward = tempSteward({ jobs: { autoStart: false, chunkSize: 10 } });
  const fresh = seedInto(new World(steward));
  worlds.push(fresh.w);
  return fresh;
}

function seedInto(w: World) {
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const globex = w.group(w.rootId, 'customer', 'Globex');
  const people = {
    admin: member(w, 'admin', acme, ROLE.admin),
    operator: member(w, 'operator', acme, ROLE.operator),
    operator2: member(w, 'operator2', acme, ROLE.operator),
    viewer: member(w, 'viewer', acme, ROLE.viewer),
    // A role without devices.view: such a member cannot hold devices (holding would show them nothing).
    auditor: member(w, 'auditor', acme, w.role(acme, ['groups.view', 'billing.view'])),
    globexAdmin: member(w, 'gadmin', globex, ROLE.admin),
    globexOperator: member(w, 'goperator', globex, ROLE.operator),
  };
  const acmeDevices = addDevices(w, acme, mixedSpecs('acme', 45));
  const globexDevices = addDevices(w, globex, mixedSpecs('globex', 5));
  return { w, acme, globex, people, acmeDevices, globexDevices };
}

const holders = (w: World, deviceId: string) =>
  (
    w.steward.db.prepare('SELECT user_id FROM device_assignments WHERE device_id = ? ORDER BY user_id').all(deviceId) as Array<{
      user_id: string;
    }>
  ).map((r) => r.user_id);
const allAssignments = (w: World) =>
  w.steward.db.prepare('SELECT device_id, user_id FROM device_assignments ORDER BY device_id, user_id').all() as unknown[];
const job = (w: World, userId: string, jobId: string) => w.ok<JobInfo>(userId, 'devices.jobGet', { jobId });
const refusedBy = (plan: { refused: BulkPlan['refused'] }) => Object.fromEntries(plan.refused.map((r) => [r.reason, r.count]));

describe('devices: direct assignment', () => {
  it('seed-000: assigns one device to several members and unassigns it; the Operator then sees it, then does not', async () => {
    const { w, people, acmeDevices } = company();
    const device = acmeDevices[0] ?? '';
    const assigned = await w.ok(people.admin, 'devices.assign', { deviceIds: [device], userIds: [people.operator, people.viewer] });
    expect(assigned).toEqual({ changed: 2, unchanged: 0 });
    expect(holders(w, device)).toEqual([people.operator, people.viewer].sort());
    expect((await w.ok<DeviceListOutput>(people.operator, 'devices.list', {})).rows.map((r) => r.id)).toEqual([device]);
    const again = await w.ok(people.admin, 'devices.assign', { deviceIds: [device], userIds: [people.operator] });
    expect(again).toEqual({ changed: 0, unchanged: 1 });
    expect(await w.ok(people.admin, 'devices.unassign', { deviceIds: [device], userIds: [people.operator] })).toEqual({
      changed: 1,
      unchanged: 0,
    });
    expect((await w.ok<DeviceListOutput>(people.operator, 'devices.list', {})).total).toBe(0);
  });

  it('refuses the whole call, naming the pair, when any pair is refused; nothing changes', async () => {
    const { w, people, acmeDevices, globexDevices } = company();
    const before = allAssignments(w);
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      [people.viewer, { deviceIds: [acmeDevices[0]], userIds: [people.operator] }, 'NOT_FOUND', 'deviceIds.0'],
      [people.admin, { deviceIds: [acmeDevices[0], globexDevices[0]], userIds: [people.operator] }, 'NOT_FOUND', 'deviceIds.1'],
      [people.admin, { deviceIds: [acmeDevices[0]], userIds: [people.operator, people.globexOperator] }, 'NOT_FOUND', 'userIds.1'],
      [people.admin, { deviceIds: [acmeDevices[0], acmeDevices[1]], userIds: [people.auditor] }, 'FORBIDDEN', 'userIds.0'],
    ];
    for (const [actor, input, code, field] of cases) {
      const answer = await w.call(actor, 'devices.assign', input);
      expect(answer.ok ? null : [answer.error.code, answer.error.field], JSON.stringify(input)).toEqual([code, field]);
    }
    const cannotHold = await w.call(people.admin, 'devices.assign', { deviceIds: [acmeDevices[0]], userIds: [people.auditor] });
    expect(cannotHold.ok ? '' : cannotHold.error.message).toMatch(/cannot hold devices/);
    expect(allAssignments(w)).toEqual(before);
  });

  it('a Globex Admin may not assign Acme devices, even to a Globex member (outside their scope)', async () => {
    const { w, people, acmeDevices } = company();
    // The provider Owner sees the Acme device; the Globex Admin does not, so it does not exist for them.
    const answer = await w.call(people.globexAdmin, 'devices.assign', { deviceIds: [acmeDevices[0]], userIds: [people.globexOperator] });
    expect(answer.ok ? null : answer.error.code).toBe('NOT_FOUND');
  });

  it('removing a member can hand their devices to another member in the same step', async () => {
    const { w, people, acmeDevices } = company();
    await w.ok(people.admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 3), userIds: [people.operator] });
    await w.ok(people.admin, 'devices.assign', { deviceIds: [acmeDevices[0]], userIds: [people.operator2] });
    const removed = await w.ok<{ devicesReassigned: number }>(people.admin, 'users.remove', {
      id: people.operator,
      reassignDevicesTo: people.operator2,
    });
    expect(removed.devicesReassigned).toBe(2);
    expect((await w.ok<DeviceListOutput>(people.operator2, 'devices.list', {})).total).toBe(3);
  });
});

describe('devices: bulk jobs', () => {
  it('the dry run counts pairs to assign, already assigned, and refused with each reason; it writes nothing', async () => {
    const { w, people, acmeDevices, globexDevices } = company();
    await w.ok(people.admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 5), userIds: [people.operator] });
    const before = allAssignments(w);
    const plan = await w.ok<BulkPlan>(people.admin, 'devices.bulkPlan', {
      selection: { deviceIds: [...acmeDevices.slice(0, 10), globexDevices[0]] },
      userIds: [people.operator, people.auditor, people.globexOperator],
      action: 'assign',
    });
    expect(plan).toMatchObject({ devices: 11, pairs: 33, willChange: 5, unchanged: 5, devicesChanged: 5 });
    expect(refusedBy(plan)).toEqual({ 'device-not-found': 3, 'member-cannot-hold': 10, 'member-not-visible': 10 });
    expect(plan.refused.every((r) => r.message.length > 0)).toBe(true);
    expect(allAssignments(w)).toEqual(before);
  });

  it('refuses a member outside the device’s company, and devices outside the caller’s assign scope', async () => {
    const { w, people, acme, acmeDevices, globexDevices } = company();
    // A provider-level Admin reaches both customers; Globex's Operator has no binding at Acme.
    const provider = w.user('provider-admin', w.rootId);
    w.bind(provider, ROLE.admin, w.rootId);
    const plan = await w.ok<BulkPlan>(provider, 'devices.bulkPlan', {
      selection: { deviceIds: [acmeDevices[0], globexDevices[0]] },
      userIds: [people.globexOperator],
      action: 'assign',
    });
    expect(plan.willChange).toBe(1);
    expect(refusedBy(plan)).toEqual({ 'member-outside-company': 1 });
    // A role that sees and assigns only devices it holds: out of scope for the rest.
    const lead = w.user('lead', acme);
    w.bind(lead, w.role(acme, ['devices.view', 'devices.assign', 'users.view'], 'assigned'), acme);
    w.assign(acmeDevices[0] ?? '', lead);
    w.assign(acmeDevices[1] ?? '', people.viewer);
    // A helper whose rights the lead holds too (R7): the lead may hand them devices.
    const helper = w.user('helper', acme);
    w.bind(helper, w.role(acme, ['devices.view'], 'assigned'), acme);
    const leadPlan = await w.ok<BulkPlan>(lead, 'devices.bulkPlan', {
      selection: { deviceIds: [acmeDevices[0], acmeDevices[1]] },
      userIds: [helper],
      action: 'assign',
    });
    // The second device is invisible to the lead, so it is "not found", never "out of scope" (no existence leak).
    expect(leadPlan.willChange).toBe(1);
    expect(refusedBy(leadPlan)).toEqual({ 'device-not-found': 1 });
    // R7: the Operator holds restores and jobs on the device, which the lead does not: refused, not handed over.
    const toOperator = await w.ok<BulkPlan>(lead, 'devices.bulkPlan', {
      selection: { deviceIds: [acmeDevices[0]] },
      userIds: [people.operator],
      action: 'assign',
    });
    expect(toOperator.willChange).toBe(0);
    expect(refusedBy(toOperator)).toEqual({ 'member-holds-more': 1 });
  });

  it('a Viewer cannot plan or start a job: the missing permission is named', async () => {
    const { w, people, acmeDevices } = company();
    w.assign(acmeDevices[0] ?? '', people.viewer);
    for (const op of ['devices.bulkPlan', 'devices.bulkAssign']) {
      const answer = await w.call(people.viewer, op, {
        selection: { deviceIds: [acmeDevices[0]] },
        userIds: [people.viewer],
        action: 'assign',
      });
      expect(answer.ok ? '' : `${answer.error.code} ${answer.error.message}`).toMatch(/^FORBIDDEN .*devices\.assign/);
    }
  });

  it('runs "all matching the filter" for two operators: every pair applied, per-device results, one audit event with the job id', async () => {
    const { w, people } = company();
    const filter = { os: ['Ubuntu 22.04'], statuses: ['ok', 'failed'] };
    const matching = await w.ok<DeviceListOutput>(people.admin, 'devices.list', { filter, window: { offset: 0, limit: 500 } });
    expect(matching.total).toBeGreaterThan(3);
    const userIds = [people.operator, people.operator2];
    const plan = await w.ok<BulkPlan>(people.admin, 'devices.bulkPlan', { selection: { filter }, userIds, action: 'assign' });
    expect(plan).toMatchObject({ devices: matching.total, willChange: matching.total * 2, unchanged: 0, refused: [] });
    const auditBefore = w.steward.count('audit_events');
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', { selection: { filter }, userIds, action: 'assign' });
    // The call answers before any planning: the job plans itself in its first steps.
    expect(started).toMatchObject({ state: 'queued', planning: true, total: matching.total, planned: { willChange: 0 } });
    w.steward.jobs.drain();
    const done = await job(w, people.admin, started.id);
    expect(done).toMatchObject({ state: 'done', processed: matching.total, canUndo: true, canCancel: false });
    expect(done.counts).toMatchObject({ willChange: matching.total * 2, devicesChanged: matching.total });
    for (const operator of userIds) {
      const seen = await w.ok<DeviceListOutput>(operator, 'devices.list', { window: { offset: 0, limit: 500 } });
      expect(seen.rows.map((r) => r.id).sort()).toEqual(matching.rows.map((r) => r.id).sort());
    }
    const results = await w.ok<{ total: number; rows: JobResultRow[] }>(people.admin, 'devices.jobResults', { jobId: started.id });
    expect(results.total).toBe(matching.total);
    expect(results.rows.every((r) => r.status === 'changed' && r.changed.length === 2 && r.deviceName)).toBe(true);
    // One event from the person for the whole job (no per-device events), carrying the job id and the devices; each
    // step the runner took is a system command with its own event on the same job, the one ending planning with the plan.
    const events = w.steward.db
      .prepare('SELECT action, actor_id, actor_name, target_type, target_id, after FROM audit_events WHERE seq > ?')
      .all(auditBefore) as Array<{
      action: string;
      actor_id: string | null;
      actor_name: string;
      target_type: string;
      target_id: string;
      after: string;
    }>;
    const steps = events.filter((e) => e.action === 'devices.jobStep');
    expect(events.filter((e) => e.action.startsWith('devices.') && e.action !== 'devices.jobStep')).toHaveLength(1);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((e) => e.actor_id === null && e.actor_name === 'System (job runner)' && e.target_id === started.id)).toBe(true);
    expect(JSON.parse(steps[steps.length - 1]?.after ?? '{}')).toMatchObject({ state: 'done', to: matching.total });
    expect(events[0]).toMatchObject({ action: 'devices.bulkAssign', target_type: 'job', target_id: started.id });
    expect(JSON.parse(events[0]?.after ?? '{}')).toMatchObject({ jobId: started.id, devices: matching.total });
    const planned = steps.map((e) => JSON.parse(e.after) as { planning?: string; planned?: unknown }).filter((a) => a.planning === 'done');
    expect(planned).toEqual([expect.objectContaining({ planned: expect.objectContaining({ willChange: matching.total * 2 }) })]);
    expect(done.planned).toMatchObject({ willChange: matching.total * 2, unchanged: 0, refused: [] });
  });

  it('cancel stops between chunks; what was done stays done; undo restores exactly the previous assignments', async () => {
    const { w, people, acmeDevices } = company();
    // Some pairs exist before the job: undo must leave them in place.
    await w.ok(people.admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 4), userIds: [people.operator] });
    await w.ok(people.admin, 'devices.assign', { deviceIds: acmeDevices.slice(40, 42), userIds: [people.viewer] });
    const before = allAssignments(w);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: {} },
      userIds: [people.operator, people.viewer],
      action: 'assign',
    });
    w.steward.jobs.drain(2);
    // What the job planned and has applied is gone already; only what is ahead of it waits (issue 17: no long delete at the end).
    const selected = () =>
      (w.steward.db.prepare('SELECT count(*) AS n FROM device_job_selection WHERE job_id = ?').get(started.id) as { n: number }).n;
    const planned = (w.steward.db.prepare('SELECT total AS n FROM device_jobs WHERE id = ?').get(started.id) as { n: number }).n;
    expect(planned).toBeGreaterThan(20);
    expect(selected()).toBe(planned - 20);
    const cancelling = await w.ok<JobInfo>(people.admin, 'devices.jobCancel', { jobId: started.id });
    expect(cancelling.state).toBe('cancelling');
    w.steward.jobs.drain();
    const cancelled = await job(w, people.admin, started.id);
    expect(cancelled.state).toBe('cancelled');
    expect(selected()).toBe(0);
    expect(cancelled.processed).toBe(20);
    const assignedNow = allAssignments(w).length;
    expect(assignedNow).toBeGreaterThan(before.length);
    // No device is half-done: each processed device holds both members, each unprocessed one is as before.
    const processed = new Set(
      (w.steward.db.prepare('SELECT device_id FROM device_job_items WHERE job_id = ?').all(started.id) as Array<{ device_id: string }>).map(
        (r) => r.device_id,
      ),
    );
    for (const id of acmeDevices)
      if (processed.has(id)) expect(holders(w, id)).toEqual(expect.arrayContaining([people.operator, people.viewer]));
    const again = await w.call(people.admin, 'devices.jobCancel', { jobId: started.id });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');

    const undoing = await w.ok<JobInfo>(people.admin, 'devices.jobUndo', { jobId: started.id });
    expect(undoing.state).toBe('rolling_back');
    w.steward.jobs.drain();
    const undone = await job(w, people.admin, started.id);
    expect(undone).toMatchObject({ state: 'rolled_back', canUndo: false });
    expect(undone.undo).toEqual({ total: cancelled.counts.devicesChanged, restored: cancelled.counts.devicesChanged, skipped: 0 });
    expect(allAssignments(w)).toEqual(before);
    const twice = await w.call(people.admin, 'devices.jobUndo', { jobId: started.id });
    expect(twice.ok ? null : twice.error.code).toBe('CONFLICT');
  });

  it('unassigns in bulk, and its undo gives the members back their devices', async () => {
    const { w, people, acmeDevices } = company();
    await w.ok(people.admin, 'devices.assign', { deviceIds: acmeDevices.slice(0, 30), userIds: [people.operator] });
    const before = allAssignments(w);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: { assigneeId: people.operator } },
      userIds: [people.operator],
      action: 'unassign',
    });
    w.steward.jobs.drain();
    expect((await job(w, people.admin, started.id)).counts.willChange).toBe(30);
    expect((await w.ok<DeviceListOutput>(people.operator, 'devices.list', {})).total).toBe(0);
    await w.ok(people.admin, 'devices.jobUndo', { jobId: started.id });
    w.steward.jobs.drain();
    expect(allAssignments(w)).toEqual(before);
  });

  it('checks again as it runs: a member removed from the company mid-job is refused for the rest', async () => {
    const { w, people, acmeDevices } = company();
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { deviceIds: acmeDevices.slice(0, 30) },
      userIds: [people.operator2],
      action: 'assign',
    });
    w.steward.jobs.drain(1);
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(people.operator2);
    w.steward.jobs.drain();
    const done = await job(w, people.admin, started.id);
    expect(done.counts.willChange).toBe(10);
    expect(refusedBy(done.counts)).toEqual({ 'member-outside-company': 20 });
    const refused = await w.ok<{ total: number; rows: JobResultRow[] }>(people.admin, 'devices.jobResults', {
      jobId: started.id,
      status: 'refused',
    });
    expect(refused.total).toBe(20);
    expect(refused.rows[0]?.refused[0]?.reason).toBe('member-outside-company');
  });

  it('jobs are seen by their starter and by those who may assign at the starter’s home, and by nobody else', async () => {
    const { w, people, acmeDevices } = company();
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { deviceIds: acmeDevices.slice(0, 2) },
      userIds: [people.operator],
      action: 'assign',
    });
    const colleague = w.user('admin2', w.rootId);
    w.bind(colleague, ROLE.admin, w.rootId);
    expect((await w.ok<{ jobs: JobInfo[] }>(colleague, 'devices.jobs', {})).jobs.map((j) => j.id)).toEqual([started.id]);
    for (const outsider of [people.operator, people.globexAdmin]) {
      expect((await w.ok<{ jobs: JobInfo[] }>(outsider, 'devices.jobs', {})).jobs).toEqual([]);
      const answer = await w.call(outsider, 'devices.jobGet', { jobId: started.id });
      expect(answer.ok ? null : answer.error.code).toBe('NOT_FOUND');
    }
  });

  it('an old job stays in its starter’s list however many newer jobs other tenants ran', async () => {
    const { w, people, acmeDevices } = company();
    const mine = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { deviceIds: acmeDevices.slice(0, 1) },
      userIds: [people.operator],
      action: 'assign',
    });
    w.steward.jobs.drain();
    // 600 later jobs of Globex's Admin, copied from one real row (running 600 jobs adds nothing here).
    const db = w.steward.db;
    db.prepare(
      `INSERT INTO device_jobs SELECT printf('other-%d', value), action, state, @actor, 'globex-admin', @home, selection, selection_text,
         members, max_rowid, cursor, total, processed, planned, counts, undo_cursor, undo_actor_id, undo_restored, undo_skipped, note,
         created_at + value, started_at, finished_at, undone_at, authority, stopped_at, plan_state, plan_cursor
       FROM device_jobs, (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 600) SELECT value FROM n)
       WHERE id = @id`,
    ).run({
      actor: people.globexAdmin,
      home: (db.prepare('SELECT home_group_id AS h FROM users WHERE id = ?').get(people.globexAdmin) as { h: string }).h,
      id: mine.id,
    });
    expect((await w.ok<{ jobs: JobInfo[] }>(people.admin, 'devices.jobs', {})).jobs.map((j) => j.id)).toEqual([mine.id]);
  });

  it('a job started by someone who can no longer assign is rolled back after a restart', async () => {
    const { w, people, acmeDevices } = company();
    const before = allAssignments(w);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { deviceIds: acmeDevices.slice(0, 25) },
      userIds: [people.operator],
      action: 'assign',
    });
    w.steward.jobs.drain(1);
    // The starter loses the Admin role, then Steward restarts (here: a second open of the same folder).
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(people.admin);
    w.bind(people.admin, ROLE.viewer, w.rootId);
    const reopened = tempSteward({ dir: w.steward.dataDir, jobs: { autoStart: false } });
    try {
      reopened.jobs.drain();
      const row = reopened.db.prepare('SELECT state, note, processed FROM device_jobs WHERE id = ?').get(started.id) as {
        state: string;
        note: string;
        processed: number;
      };
      expect(row.state).toBe('rolled_back');
      expect(row.note).toMatch(/can no longer assign devices/);
      expect(reopened.db.prepare('SELECT device_id, user_id FROM device_assignments ORDER BY device_id, user_id').all()).toEqual(before);
    } finally {
      reopened.close();
    }
  });

  it('"all matching, except these": the excepted devices are left alone by the plan, the job, and the job resumed after a restart', async () => {
    const { w, people, acmeDevices } = company();
    const filter = {
      groupId: w.steward.db.prepare('SELECT group_id AS g FROM devices WHERE id = ?').pluck().get(acmeDevices[0]) as string,
    };
    const all = await w.ok<DeviceListOutput>(people.admin, 'devices.list', { filter, window: { offset: 0, limit: 500 } });
    expect(all.total).toBe(45);
    // Three rows unticked, one of them twice (a client may send a duplicate), and one spread across the id order.
    const ids = all.rows.map((r) => r.id).sort();
    const exceptIds = [ids[0], ids[22], ids[44], ids[22]] as string[];
    const left = new Set(exceptIds);
    const input = { selection: { filter, exceptIds }, userIds: [people.operator], action: 'assign' };
    const plan = await w.ok<BulkPlan>(people.admin, 'devices.bulkPlan', input);
    expect(plan).toMatchObject({ devices: 42, pairs: 42, willChange: 42, unchanged: 0, devicesChanged: 42, refused: [] });
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', input);
    expect(started).toMatchObject({ total: 42, planning: true });
    expect(started.selection).toMatch(/, except 3 devices$/);
    // Its own planning, then one chunk of ten, then Steward restarts (a second open of the same folder) and the job resumes.
    w.steward.jobs.drain(1);
    expect(await job(w, people.admin, started.id)).toMatchObject({
      processed: 10,
      planning: false,
      total: 42,
      planned: { willChange: 42, devicesChanged: 42 },
    });
    const reopened = tempSteward({ dir: w.steward.dataDir, jobs: { autoStart: false, chunkSize: 10 } });
    try {
      reopened.jobs.drain();
      const row = reopened.db.prepare('SELECT state, processed, counts, note FROM device_jobs WHERE id = ?').get(started.id) as {
        state: string;
        processed: number;
        counts: string;
        note: string;
      };
      expect(row).toMatchObject({ state: 'done', processed: 42 });
      expect(row.note).toMatch(/Resumed after a restart at device 10 of 42/);
      expect(JSON.parse(row.counts)).toMatchObject({ willChange: 42, devicesChanged: 42 });
      const held = reopened.db
        .prepare('SELECT device_id FROM device_assignments WHERE user_id = ? ORDER BY device_id')
        .pluck()
        .all(people.operator);
      expect(held).toEqual(ids.filter((id) => !left.has(id)));
      const items = reopened.db.prepare('SELECT device_id FROM device_job_items WHERE job_id = ?').pluck().all(started.id) as string[];
      expect(items).toHaveLength(42);
      expect(items.filter((id) => left.has(id))).toEqual([]);
    } finally {
      reopened.close();
    }
  });

  it('refuses more than 5,000 exceptions, naming the field', async () => {
    const { w, people } = company();
    const answer = await w.call(people.admin, 'devices.bulkPlan', {
      selection: { filter: {}, exceptIds: Array.from({ length: 5001 }, (_, i) => `device-${i}`) },
      userIds: [people.operator],
      action: 'assign',
    });
    expect(answer.ok ? null : [answer.error.code, answer.error.field, answer.error.message]).toEqual([
      'VALIDATION',
      'selection.exceptIds',
      expect.stringMatching(/At most 5,000 devices can be left out/),
    ]);
  });

  it('bad bulk input names the field', async () => {
    const { w, people } = company();
    const none = await w.call(people.admin, 'devices.bulkPlan', {
      selection: { deviceIds: [] },
      userIds: [people.operator],
      action: 'assign',
    });
    expect(none.ok ? null : none.error.code).toBe('VALIDATION');
    const tooMany = await w.call(people.admin, 'devices.bulkPlan', {
      selection: { filter: {} },
      userIds: Array.from({ length: 51 }, (_, i) => `u${i}`),
      action: 'assign',
    });
    expect(tooMany.ok ? null : [tooMany.error.code, tooMany.error.field]).toEqual(['VALIDATION', 'userIds']);
  });
});
