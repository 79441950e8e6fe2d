import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/contract';
import { addDevices, mixedSpecs } from '../helpers/fleet';
import { tempDir, tempSteward } from '../helpers/temp-steward';
import { bundleForNode } from '../helpers/web-process';
import { ROLE, World } from '../helpers/world';

/**
 * Issue 6: kill the process in the middle of a bulk job (SIGKILL: no clean-up runs), open
 * the data folder again, and check the database, every device, and the job's state.
 */
const DEVICES = 2_000;
let child = '';
let removeBundle = (): void => undefined;

beforeAll(async () => {
  const bundle = await bundleForNode('test/helpers/job-child.ts');
  child = bundle.file;
  removeBundle = bundle.remove;
}, 60_000);

afterAll(() => removeBundle());

function waitFor<T>(probe: () => T | undefined, what: string, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  return new Promise((resolvePromise, reject) => {
    const tick = () => {
      const value = probe();
      if (value !== undefined) return resolvePromise(value);
      if (Date.now() > deadline) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('devices: a bulk job survives a crash', () => {
  it('SIGKILL mid-job: integrity_check ok, no device half-assigned, the job resumes with its state visible', async () => {
    const folder = tempDir('steward-crash-data-');
    try {
      const setup = new World(tempSteward({ dir: folder.dir, jobs: { autoStart: false } }));
      const acme = setup.group(setup.rootId, 'customer', 'Acme');
      const admin = setup.user('admin', acme);
      const operators = [setup.user('op1', acme), setup.user('op2', acme)];
      setup.bind(admin, ROLE.admin, acme);
      for (const op of operators) setup.bind(op, ROLE.operator, acme);
      const devices = addDevices(setup, acme, mixedSpecs('pc', DEVICES));
      const token = setup.session(admin);
      setup.steward.close();

      const input = { selection: { filter: {} }, userIds: operators, action: 'assign' };
      const proc = spawn(process.execPath, [child, folder.dir, token, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((r) => proc.on('exit', (code, signal) => r(signal ?? code)));
      const jobId = await waitFor(() => /started (\S+)/.exec(stdout)?.[1] ?? (stderr ? `error: ${stderr}` : undefined), 'the job to start');
      expect(jobId).not.toMatch(/^error/);

      // Watch progress from outside, as another reader of the same file would, and kill mid-way.
      const watcher = new Database(join(folder.dir, 'steward.db'), { readonly: true });
      const progress = () => watcher.prepare('SELECT processed FROM device_jobs WHERE id = ?').get(jobId) as { processed: number };
      await waitFor(() => (progress().processed >= DEVICES / 4 ? true : undefined), 'a quarter of the job');
      proc.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const atKill = progress().processed;
      watcher.close();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(DEVICES);

      const reopened = tempSteward({ dir: folder.dir, jobs: { autoStart: false } });
      try {
        expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const call = async <T>(name: string, body: unknown) => {
          const out = await reopened.call(name, body, token);
          if (!out.result.ok) throw new Error(out.result.error.message);
          return out.result.value as T;
        };
        const resumed = await call<JobInfo>('devices.jobGet', { jobId });
        expect(resumed.state).toBe('running');
        expect(resumed.processed).toBe(atKill);
        expect(resumed.note).toMatch(/Resumed after a restart/);

        // Every device holds both operators (processed) or neither (not yet): nothing in between.
        const holders = reopened.db.prepare('SELECT device_id, count(*) AS n FROM device_assignments GROUP BY device_id').all() as Array<{
          device_id: string;
          n: number;
        }>;
        expect(holders.every((h) => h.n === 2)).toBe(true);
        expect(holders).toHaveLength(atKill);
        const items = reopened.db.prepare('SELECT count(*) AS n FROM device_job_items WHERE job_id = ?').get(jobId) as { n: number };
        expect(items.n).toBe(atKill);

        reopened.jobs.drain();
        const done = await call<JobInfo>('devices.jobGet', { jobId });
        expect(done).toMatchObject({ state: 'done', processed: DEVICES });
        expect(done.counts).toMatchObject({ willChange: DEVICES * 2, unchanged: 0, devicesChanged: DEVICES, refused: [] });
        expect(reopened.count('device_assignments')).toBe(DEVICES * 2);
        expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(devices).toHaveLength(DEVICES);
      } finally {
        reopened.close();
      }
    } finally {
      folder.remove();
    }
  }, 120_000);
});
