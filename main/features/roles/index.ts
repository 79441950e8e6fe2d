import type { RegisteredHandler } from '../../dispatch/registry';
import { rolesPreviewHandler } from './preview';
import { roleReadHandlers } from './read';
import { roleWriteHandlers } from './write';

export function roleHandlers(): RegisteredHandler[] {
  return [...roleReadHandlers(), rolesPreviewHandler(), ...roleWriteHandlers()];
}
