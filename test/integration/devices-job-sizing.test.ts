import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/contract';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { member } from '../helpers/people';
import { tempSteward } from '../helpers/temp-steward';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 17, the event loop during a job: a runner that sizes its steps as they run starts
 * each job small and grows it step by step toward its budget, whatever size an earlier job
 * (or another phase) grew to. Before, a job started at the size the previous job ended with,
 * and its first planning step of 2,000 devices held the event loop for about 90 ms.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

/** The size each devices.jobStep of `jobId` was run with, in order (from the command log). */
function stepSizes(w: World, jobId: string): number[] {
  const envelopes = w.steward.db
    .prepare("SELECT envelope FROM command_log WHERE operation = 'devices.jobStep' ORDER BY origin_seq")
    .pluck()
    .all() as string[];
  return envelopes
    .map((text) => (JSON.parse(text) as { input: { jobId: string; size: number } }).input)
    .filter((input) => input.jobId === jobId)
    .map((input) => input.size);
}

describe('job steps sized as they run (issue 17)', () => {
  it('each job starts at the smallest step and at most doubles, whatever the job before it grew to', async () => {
    const w = new World(tempSteward({ jobs: { autoStart: false } }));
    worlds.push(w);
    const acme = w.group(w.rootId, 'customer', 'Acme');
    const admin = member(w, 'admin', acme, ROLE.admin);
    const operator = member(w, 'operator', acme, ROLE.operator);
    const viewer = member(w, 'viewer', acme, ROLE.viewer);
    addDevices(w, acme, mixedSpecs('pc', 1_500));
    const run = async (userId: string) => {
      const job = await w.ok<JobInfo>(admin, 'devices.bulkAssign', { selection: { filter: {} }, userIds: [userId], action: 'assign' });
      w.steward.jobs.drain();
      expect((await w.ok<JobInfo>(admin, 'devices.jobGet', { jobId: job.id })).state).toBe('done');
      return stepSizes(w, job.id);
    };
    const first = await run(operator);
    const second = await run(viewer);
    for (const sizes of [first, second]) {
      expect(sizes[0]).toBe(50);
      for (const [i, size] of sizes.entries()) if (i > 0) expect(size).toBeLessThanOrEqual(2 * (sizes[i - 1] ?? 0));
    }
    // The first job grew past its start, so the second one's small start is not a coincidence.
    expect(Math.max(...first)).toBeGreaterThan(100);
  });
});
