import type { RegisteredHandler } from './dispatch/registry';
import { accessHandlers } from './features/access/handlers';
import { hygieneHandler } from './features/access/hygiene';
import { invalidateRoles } from './features/access/roles-cache';
import { auditExportHandler } from './features/audit/export';
import { auditListHandler } from './features/audit/list';
import { auditVerifyHandler } from './features/audit/verify';
import { deviceReadHandlers } from './features/devices/read';
import { devicesExportHandler } from './features/devices/export';
import { invalidatePlaces } from './features/devices/classify';
import { deviceJobHandlers } from './features/devices/jobs/handlers';
import type { JobRunner } from './features/devices/jobs/runner';
import { groupReadHandlers } from './features/groups/read';
import { forgetSettings } from './features/settings/settings';
import { usersFacetsHandler, usersListHandler } from './features/users/list';
import { dashboardHandlers } from './features/dashboard/handlers';
import type { Db } from './db/connection';

/**
 * The job handlers are built with the runner, which only their commands use; a read worker
 * runs none of those, so it is handed a runner that refuses to be used.
 */
const NO_RUNNER = new Proxy(
  {},
  {
    get: () => {
      throw new Error('The job runner lives on the main thread; a read worker runs no job command');
    },
  },
) as JobRunner;

/**
 * Every handler marked `readPool`, built as main/app.ts builds them: what a read worker
 * (main/read-worker.ts) can run. A test requires it to hold exactly the marked handlers app.ts registers.
 */
export function poolReadHandlers(): RegisteredHandler[] {
  return [
    ...deviceReadHandlers(),
    devicesExportHandler(),
    ...deviceJobHandlers(NO_RUNNER),
    ...groupReadHandlers(),
    ...accessHandlers(),
    hygieneHandler(),
    auditListHandler(),
    auditExportHandler(),
    auditVerifyHandler(),
    usersListHandler(),
    usersFacetsHandler(),
    ...dashboardHandlers(),
  ].filter((h) => h.readPool);
}

/** Drops what a connection keeps between calls (roles, group places, settings): another connection committed since. */
export function forgetConnectionCaches(db: Db): void {
  invalidateRoles(db);
  invalidatePlaces(db);
  forgetSettings(db);
}
