import { z } from 'zod';
import type { DeviceVisibility } from '../access/builtin-roles';
import { op } from './define';

export interface RoleSummary {
  id: string;
  name: string;
  description: string;
  builtin: string | null;
  ownerGroupId: string | null;
  deviceVisibility: DeviceVisibility;
  permissions: string[];
  protected: boolean;
}

export const rolesContract = {
  'roles.list': op<{ roles: RoleSummary[] }>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
} as const;
