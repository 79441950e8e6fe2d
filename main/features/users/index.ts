import type { RegisteredHandler } from '../../dispatch/registry';
import type { Throttle } from '../auth/throttle';
import { ownershipAssignHandler } from '../ownership/assign';
import { ownershipTransferHandler } from '../ownership/transfer';
import { usersCreateHandler } from './create';
import { usersSetDepartmentsHandler } from './departments';
import { usersGetHandler } from './get';
import { usersFacetsHandler, usersListHandler } from './list';
import { usersUpdatePreferencesHandler } from './preferences';
import { usersRemoveHandler } from './remove';
import { usersResetMfaHandler, usersResetPasswordHandler } from './secrets';
import { userSessionHandlers } from './sessions';
import { setRolesHandler } from './set-roles';
import { usersSetStatusHandler } from './status';
import { usersUpdateHandler } from './update';

export function userHandlers(throttle: Throttle): RegisteredHandler[] {
  return [
    usersListHandler(),
    usersFacetsHandler(),
    usersGetHandler(),
    usersCreateHandler(),
    usersUpdateHandler(),
    setRolesHandler(),
    usersSetDepartmentsHandler(),
    usersSetStatusHandler(),
    usersResetPasswordHandler(),
    usersResetMfaHandler(),
    usersRemoveHandler(),
    usersUpdatePreferencesHandler(),
    ...userSessionHandlers(),
    ownershipTransferHandler(throttle),
    ownershipAssignHandler(throttle),
  ];
}
