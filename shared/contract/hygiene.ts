import { z } from 'zod';
import { op } from './define';

export interface HygieneItem {
  id: string;
  name: string;
  detail: string;
}

export interface HygieneSection {
  total: number;
  /** The first items (at most 50); `total` says how many there are. */
  items: HygieneItem[];
}

/** Issue 7's access hygiene: what an admin should fix, within the caller's scope. */
export interface HygieneReport {
  usersWithoutMfa: HygieneSection;
  pendingInvitations: HygieneSection;
  expiredInvitations: HygieneSection;
  unassignedDevices: HygieneSection;
  unusedRoles: HygieneSection;
  dormantAccounts: HygieneSection;
}

export const DORMANT_DAYS = 90;

export const hygieneContract = {
  'access.hygiene': op<HygieneReport>()({ input: z.object({}).strict(), audience: ['active'], kind: 'query', errors: [] }),
} as const;
