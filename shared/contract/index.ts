import type { z } from 'zod';
import { accessContract } from './access';
import { accessMineContract } from './access-mine';
import { auditContract } from './audit';
import { dashboardContract } from './dashboard';
import { authContract } from './auth';
import { devicesContract } from './devices';
import { directoryContract } from './directory';
import { groupsContract } from './groups';
import { hygieneContract } from './hygiene';
import { invitationsContract } from './invitations';
import { rolesContract } from './roles';
import { savedFiltersContract } from './saved-filters';
import { settingsContract } from './settings';
import { syncContract } from './sync';
import { ssoContract } from './sso';
import { systemContract } from './system';
import { teamContract } from './team';
import { usersContract } from './users';
import type { OperationSpec } from './define';

export * from './access';
export * from './access-mine';
export * from './audit';
export * from './dashboard';
export * from './auth';
export * from './devices';
export * from './directory';
export * from './groups';
export * from './hygiene';
export * from './invitations';
export * from './roles';
export * from './saved-filters';
export * from './settings';
export * from './sync';
export * from './sso';
export * from './system';
export * from './team';
export * from './users';
export type { Audience, OperationSpec, Stage } from './define';

/** Every operation of the public API: renderer, HTTP, IPC and tests are typed from this table. */
export const contract = {
  ...authContract,
  ...groupsContract,
  ...usersContract,
  ...rolesContract,
  ...accessContract,
  ...accessMineContract,
  ...teamContract,
  ...invitationsContract,
  ...settingsContract,
  ...ssoContract,
  ...systemContract,
  ...syncContract,
  ...auditContract,
  ...hygieneContract,
  ...devicesContract,
  ...directoryContract,
  ...dashboardContract,
  ...savedFiltersContract,
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type Input<K extends OperationName> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends OperationName> = z.output<Contract[K]['input']>;
export type Output<K extends OperationName> = Contract[K] extends OperationSpec<z.ZodType, infer O> ? O : never;

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
