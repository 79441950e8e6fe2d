import { z } from 'zod';
import type { DeviceVisibility } from '../access/builtin-roles';
import type { GroupKind } from '../access/groups';
import { op } from './define';

/** One role the caller holds, where, and the path of that group so the console can apply `decide` below it. */
export interface MyBinding {
  groupId: string;
  groupName: string;
  /** Group ids from the binding's group (first) to the root (last). */
  path: string[];
  kind: GroupKind;
  role: { id: string; name: string; permissions: string[]; deviceVisibility: DeviceVisibility };
}

export interface MyAccess {
  bindings: MyBinding[];
  /** The caller's home group, with its path and kind: where new people and roles land by default. */
  home: { groupId: string; path: string[]; kind: GroupKind };
}

/**
 * Everyone may know what they themselves hold, whatever else their roles allow: the console
 * uses it to grey out controls and name the missing permission (seed 002's troubleshooting).
 * The server still decides every call on its own.
 */
export const accessMineContract = {
  'access.mine': op<MyAccess>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
} as const;
