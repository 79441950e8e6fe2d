import type { RegisteredHandler } from '../../dispatch/registry';
import { groupReadHandlers } from './read';
import { groupWriteHandlers } from './write';

export function groupHandlers(): RegisteredHandler[] {
  return [...groupReadHandlers(), ...groupWriteHandlers()];
}
