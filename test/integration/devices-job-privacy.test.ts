import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo, JobResultRow } from '../../shared/contract';
import { twoTenants } from '../helpers/two-tenants';
import type { World } from '../helpers/world';
import { ROLE } from '../helpers/world';

/**
 * Device jobs read by their starter or a colleague (R2–R4): a job's results name
 * no device, and its member list no person, that the reader may not see; colleagues are
 * those who may assign every device at the starter's home.
 */
const worlds: World[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

describe('review: device job results', () => {
  it('a picked device id from another tenant is reported as not found, without its name or group', async () => {
    const { w, admin, operator, acmeDevices, globexDevices } = twoTenants(worlds);
    const started = await w.ok<JobInfo>(admin, 'devices.bulkAssign', {
      selection: { deviceIds: [acmeDevices[0], globexDevices[0]] },
      userIds: [operator],
      action: 'assign',
    });
    w.steward.jobs.drain();
    const results = await w.ok<{ rows: JobResultRow[] }>(admin, 'devices.jobResults', { jobId: started.id });
    const foreign = results.rows.find((r) => r.deviceId === globexDevices[0]);
    expect(foreign?.refused[0]?.reason).toBe('device-not-found');
    expect(foreign).toMatchObject({ deviceName: null, groupName: null });
    expect(JSON.stringify(results)).not.toMatch(/globex/i);
  });

  it('a role that assigns only the devices it holds does not follow, cancel or undo an Admin’s job', async () => {
    const { w, acme, admin, operator, acmeDevices } = twoTenants(worlds);
    const lead = w.user('lead', acme);
    w.bind(lead, w.role(acme, ['devices.view', 'devices.assign', 'users.view'], 'assigned'), acme);
    const started = await w.ok<JobInfo>(admin, 'devices.bulkAssign', {
      selection: { deviceIds: acmeDevices.slice(0, 5) },
      userIds: [operator],
      action: 'assign',
    });
    expect((await w.ok<{ jobs: JobInfo[] }>(lead, 'devices.jobs', {})).jobs).toEqual([]);
    for (const op of ['devices.jobGet', 'devices.jobResults', 'devices.jobCancel']) {
      const answer = await w.call(lead, op, { jobId: started.id });
      expect(answer.ok ? null : answer.error.code, op).toBe('NOT_FOUND');
    }
    // A colleague who sees every device there still follows it.
    const colleague = w.user('admin2', acme);
    w.bind(colleague, ROLE.admin, acme);
    expect((await w.ok<{ jobs: JobInfo[] }>(colleague, 'devices.jobs', {})).jobs.map((j) => j.id)).toEqual([started.id]);
  });
});
