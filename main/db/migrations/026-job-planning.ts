import type { Migration } from './index';

/**
 * Issue 17, bulk jobs that grow linearly and start at once (main/features/devices/jobs/):
 * - `device_jobs.plan_cursor`: while not NULL, the job is still being planned inside
 *   itself (state queued): the last device rowid its planning read. The call that starts a
 *   job only records it; the runner's first steps plan it, a bounded range of rows each.
 * - `device_job_selection`: the devices a filter job selected, written while it plans, in
 *   device-id order (the order a job applies in, so its pairs land in neighbouring index
 *   pages), so that applying reads only the selected devices instead of walking the fleet.
 *   Removed when the job ends.
 * Jobs recorded before this step keep `plan_cursor` NULL and no selection rows: they were
 * planned when they started, and carry on reading their filter as they did.
 * Re-runnable (the column is added only when missing).
 */
export const jobPlanning: Migration = {
  version: 26,
  name: 'job-planning',
  sql: `
CREATE TABLE IF NOT EXISTS device_job_selection (
  job_id TEXT NOT NULL REFERENCES device_jobs(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  PRIMARY KEY (job_id, device_id)
) STRICT, WITHOUT ROWID;
`,
  run(db) {
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('device_jobs')").all();
    if (!columns.some((c) => c.name === 'plan_cursor')) db.exec('ALTER TABLE device_jobs ADD COLUMN plan_cursor INTEGER');
  },
};
