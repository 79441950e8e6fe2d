import type { RegisteredHandler } from '../../dispatch/registry';
import { deviceAssignHandlers } from './assign';
import { devicesExportHandler } from './export';
import { devicesImportHandler } from './import/import';
import { deviceJobHandlers } from './jobs/handlers';
import type { JobRunner } from './jobs/runner';
import { deviceReadHandlers } from './read';

export function deviceHandlers(runner: JobRunner): RegisteredHandler[] {
  return [...deviceReadHandlers(), devicesImportHandler(), devicesExportHandler(), ...deviceAssignHandlers(), ...deviceJobHandlers(runner)];
}
