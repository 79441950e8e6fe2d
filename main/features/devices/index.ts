import type { Db } from '../../db/connection';
import type { RegisteredHandler } from '../../dispatch/registry';
import { deviceAssignHandlers } from './assign';
import { devicesExportHandler } from './export';
import { devicesImportHandler } from './import/import';
import { deviceJobHandlers } from './jobs/handlers';
import type { JobRunner } from './jobs/runner';
import { deviceReadHandlers } from './read';

/** `db` reaches only the bulk job handlers, which still capture it until job chunks become commands (issue 12). */
export function deviceHandlers(db: Db, runner: JobRunner): RegisteredHandler[] {
  return [
    ...deviceReadHandlers(),
    devicesImportHandler(),
    devicesExportHandler(),
    ...deviceAssignHandlers(),
    ...deviceJobHandlers(db, runner),
  ];
}
