import type { Db } from '../../db/connection';
import type { RegisteredHandler } from '../../dispatch/registry';
import { groupReadHandlers } from './read';
import { groupWriteHandlers } from './write';

export function groupHandlers(db: Db): RegisteredHandler[] {
  return [...groupReadHandlers(db), ...groupWriteHandlers(db)];
}
