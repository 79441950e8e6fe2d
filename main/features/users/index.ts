import type { Db } from '../../db/connection';
import type { RegisteredHandler } from '../../dispatch/registry';
import { usersListHandler } from './list';
import { setRolesHandler } from './set-roles';

export function userHandlers(db: Db): RegisteredHandler[] {
  return [usersListHandler(db), setRolesHandler(db)];
}
