import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo, JobResultRow } from '../../shared/contract';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { member } from '../helpers/people';
import { tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * A bulk job acts for its starter after the call that started it: each chunk re-checks the
 * starter's rights against those they had when it started. Jobs run only when the test
 * drains them, chunk by chunk, so a right can be taken away between two exact chunks.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

const CHUNK = 250;
const DEVICES = 3_000;

function company(devices = DEVICES) {
  const w = new World(tempSteward({ jobs: { autoStart: false, chunkSize: CHUNK } }));
  worlds.push(w);
  const acme = w.group(w.rootId, 'customer', 'Acme');
  const people = {
    admin: member(w, 'admin', acme, ROLE.admin),
    operator: member(w, 'operator', acme, ROLE.operator),
    operator2: member(w, 'operator2', acme, ROLE.operator),
  };
  // In id order, the order a job works through its selection.
  const ids = addDevices(w, acme, mixedSpecs('pc', devices)).sort();
  return { w, acme, people, ids };
}

const heldBy = (w: World, userId: string) =>
  w.steward.db.prepare('SELECT device_id FROM device_assignments WHERE user_id = ? ORDER BY device_id').pluck().all(userId) as string[];
const allAssignments = (w: World) =>
  w.steward.db.prepare('SELECT device_id, user_id FROM device_assignments ORDER BY device_id, user_id').all() as unknown[];
const job = (w: World, userId: string, jobId: string) => w.ok<JobInfo>(userId, 'devices.jobGet', { jobId });
const refusedRows = (w: World, userId: string, jobId: string, offset: number) =>
  w.ok<{ total: number; rows: JobResultRow[] }>(userId, 'devices.jobResults', {
    jobId,
    status: 'refused',
    window: { offset, limit: 500 },
  });

describe('devices: a job re-checks its starter’s rights chunk by chunk', () => {
  it('starter demoted to Viewer mid-job: the job stops at the next device, refuses every remaining one with the reason, and ends failed with a note', async () => {
    const { w, acme, people, ids } = company();
    const members = [people.operator, people.operator2];
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: {} },
      userIds: members,
      action: 'assign',
    });
    expect(started.total).toBe(DEVICES);
    expect(w.steward.jobs.drain(4)).toBe(4);
    const cut = 4 * CHUNK;
    // Devices past the cut held by the starter: a Viewer still sees these, and must still not assign them.
    for (const id of ids.slice(cut + 10, cut + 60)) w.assign(id, people.admin);
    const demoted = await w.call(w.ownerId, 'users.setRoles', {
      userId: people.admin,
      baseVersion: w.version('user', people.admin),
      bindings: [{ roleId: ROLE.viewer, groupId: acme }],
    });
    expect(demoted.ok).toBe(true);
    w.steward.jobs.drain();

    const ended = await job(w, w.ownerId, started.id);
    expect(ended.state).toBe('failed');
    expect(ended.processed).toBe(DEVICES);
    expect(ended.note).toMatch(
      new RegExp(
        `^Stopped at device 1,001 of 3,000: admin-\\S+ no longer holds devices\\.assign at Acme; the remaining devices were refused$`,
      ),
    );
    expect(ended.counts).toMatchObject({ willChange: cut * 2, unchanged: 0, devicesChanged: cut });
    expect(ended.counts.refused).toEqual([
      {
        reason: 'starter-lost-authority',
        message: expect.stringMatching(/starter lost a right/),
        count: (DEVICES - cut) * 2,
        // Whom the refusal is about: each member, for every remaining device (issue 15, finding 9).
        members: members.map((userId) => ({ userId, username: expect.any(String), count: DEVICES - cut })),
      },
    ]);
    expect(ended.canUndo).toBe(true);

    // Every remaining device is listed as refused, each member with the reason, in the dry run's shape.
    const seen: string[] = [];
    for (let offset = 0; offset < DEVICES - cut; offset += 500) {
      const page = await refusedRows(w, w.ownerId, started.id, offset);
      expect(page.total).toBe(DEVICES - cut);
      for (const row of page.rows) {
        expect(row.status).toBe('refused');
        expect(row.changed).toEqual([]);
        expect(row.refused.map((r) => [r.userId, r.reason])).toEqual(members.map((m) => [m, 'starter-lost-authority']));
        expect(row.refused.every((r) => r.message.length > 0)).toBe(true);
        seen.push(row.deviceId);
      }
    }
    expect(seen).toEqual(ids.slice(cut));

    // Stored state: exactly the devices before the demotion were assigned, none after it.
    for (const operator of members) expect(heldBy(w, operator)).toEqual(ids.slice(0, cut));
    expect(heldBy(w, people.admin)).toEqual(ids.slice(cut + 10, cut + 60));
  }, 60_000);

  it('picked devices: a starter who loses sight of a member (users.view) stops the job there; the pairs past it are refused', async () => {
    const { w, acme, ids } = company(600);
    // A team lead who sees the team, and later only the devices.
    const lead = member(w, 'lead', acme, w.role(acme, ['devices.view', 'devices.assign', 'users.view']));
    // A helper whose rights the lead holds too, so the lead may hand them devices (R7).
    const helper = member(w, 'helper', acme, w.role(acme, ['devices.view'], 'assigned'));
    const started = await w.ok<JobInfo>(lead, 'devices.bulkAssign', {
      selection: { deviceIds: ids },
      userIds: [helper],
      action: 'assign',
    });
    w.steward.jobs.drain(1);
    w.steward.db.prepare('DELETE FROM role_bindings WHERE user_id = ?').run(lead);
    w.bind(lead, w.role(acme, ['devices.view', 'devices.assign']), acme);
    w.steward.jobs.drain();
    const ended = await job(w, w.ownerId, started.id);
    expect(ended).toMatchObject({ state: 'failed', processed: 600 });
    expect(ended.note).toMatch(/^Stopped at device 251 of 600: lead-\S+ no longer holds users\.view over a member this job names;/);
    expect(ended.counts.refused).toEqual([expect.objectContaining({ reason: 'starter-lost-authority', count: 350 })]);
    expect(heldBy(w, helper)).toEqual(ids.slice(0, CHUNK));
  });

  it('a starter disabled mid-job: the job stops and says so; nothing past it is assigned', async () => {
    const { w, people, ids } = company(600);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: {} },
      userIds: [people.operator],
      action: 'assign',
    });
    w.steward.jobs.drain(1);
    const disabled = await w.call(w.ownerId, 'users.setStatus', { id: people.admin, status: 'disabled' });
    expect(disabled.ok).toBe(true);
    w.steward.jobs.drain();
    const ended = await job(w, w.ownerId, started.id);
    expect(ended).toMatchObject({ state: 'failed', processed: 600 });
    expect(ended.note).toMatch(/^Stopped at device 251 of 600: admin-\S+ was disabled; the remaining devices were refused$/);
    expect(heldBy(w, people.operator)).toEqual(ids.slice(0, CHUNK));
  });

  it('a starter who gains rights mid-job is not stopped: the job ends done with every device applied', async () => {
    const { w, people, ids } = company(600);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: {} },
      userIds: [people.operator],
      action: 'assign',
    });
    w.steward.jobs.drain(1);
    w.bind(people.admin, ROLE.admin, w.rootId);
    w.steward.jobs.drain();
    const ended = await job(w, people.admin, started.id);
    expect(ended).toMatchObject({ state: 'done', processed: 600, note: null });
    expect(ended.counts).toMatchObject({ willChange: 600, refused: [] });
    expect(heldBy(w, people.operator)).toEqual(ids);
  });

  it('an undo re-checks its undoer chunk by chunk: demoted mid-undo, the rest keeps the job’s change and the note says why', async () => {
    const { w, acme, people, ids } = company(1_000);
    const before = allAssignments(w);
    const started = await w.ok<JobInfo>(people.admin, 'devices.bulkAssign', {
      selection: { filter: {} },
      userIds: [people.operator],
      action: 'assign',
    });
    w.steward.jobs.drain();
    expect((await job(w, people.admin, started.id)).state).toBe('done');
    await w.ok(people.admin, 'devices.jobUndo', { jobId: started.id });
    w.steward.jobs.drain(2);
    await w.ok(w.ownerId, 'users.setRoles', {
      userId: people.admin,
      baseVersion: w.version('user', people.admin),
      bindings: [{ roleId: ROLE.viewer, groupId: acme }],
    });
    w.steward.jobs.drain();
    const ended = await job(w, w.ownerId, started.id);
    expect(ended.state).toBe('rolled_back');
    expect(ended.undo).toEqual({ total: 1_000, restored: 500, skipped: 500 });
    expect(ended.note).toMatch(/^Undone except 500 devices, which keep the job’s change: admin-\S+ may not see or assign them/);
    expect(before).toEqual([]);
    expect(heldBy(w, people.operator)).toEqual(ids.slice(500));
  });
});
