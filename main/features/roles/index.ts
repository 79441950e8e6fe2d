import type { Db } from '../../db/connection';
import type { RegisteredHandler } from '../../dispatch/registry';
import { rolesListHandler } from './list';

export function roleHandlers(db: Db): RegisteredHandler[] {
  return [rolesListHandler(db)];
}
