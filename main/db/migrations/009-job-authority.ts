import type { Migration } from './index';

/**
 * A bulk job acts for its starter long after the call that started it, so it keeps what
 * the starter was allowed to do when it started (the grants of devices.view, devices.assign
 * and users.view, as JSON) and re-checks each chunk against the starter's rights now. When
 * a right was lost, `stopped_at` is the device (seq) at which the job stopped; every device
 * from there on is recorded as refused.
 */
export const jobAuthority: Migration = {
  version: 9,
  name: 'job-authority',
  sql: `
ALTER TABLE device_jobs ADD COLUMN authority TEXT;
ALTER TABLE device_jobs ADD COLUMN stopped_at INTEGER;
`,
};
