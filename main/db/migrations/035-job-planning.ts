import type { Migration } from './index';

/**
 * Issue 17, bulk jobs that grow linearly and start at once (main/features/devices/jobs/):
 * - `device_jobs.plan_state`: 'planning' while the job makes its own dry run (state queued),
 *   'planned' once it has; the call that starts a job only records it, and the runner's
 *   first steps plan it. `plan_cursor`: how far planning has read: the last device rowid
 *   (a filter, read in table order, a bounded range of rows a step) or the number of picked
 *   devices planned.
 * - `device_job_selection`: the devices a filter job selected, written while it plans, in
 *   device-id order (the order a job applies in, so its pairs land in neighbouring index
 *   pages), so that applying reads only the selected devices instead of walking the fleet.
 *   Removed when the job ends.
 * Jobs recorded before this step keep `plan_state` NULL and no selection rows: they were
 * planned when they started, and carry on reading their filter as they did.
 * Re-runnable (columns are added only when missing).
 */
export const jobPlanning: Migration = {
  version: 35,
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
    if (!columns.some((c) => c.name === 'plan_state'))
      db.exec("ALTER TABLE device_jobs ADD COLUMN plan_state TEXT CHECK (plan_state IN ('planning', 'planned'))");
    if (!columns.some((c) => c.name === 'plan_cursor')) db.exec('ALTER TABLE device_jobs ADD COLUMN plan_cursor INTEGER');
  },
};
