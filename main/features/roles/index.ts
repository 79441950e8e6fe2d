import type { Db } from '../../db/connection';
import type { RegisteredHandler } from '../../dispatch/registry';
import { rolesPreviewHandler } from './preview';
import { roleReadHandlers } from './read';
import { roleWriteHandlers } from './write';

export function roleHandlers(db: Db): RegisteredHandler[] {
  return [...roleReadHandlers(db), rolesPreviewHandler(db), ...roleWriteHandlers(db)];
}
