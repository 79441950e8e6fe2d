import { PERMISSION_KEYS } from './catalog';

export type DeviceVisibility = 'scope' | 'assigned';

export interface BuiltinRole {
  key: 'owner' | 'admin' | 'operator' | 'viewer';
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  permissions: readonly string[];
}

const ALL = PERMISSION_KEYS;

/**
 * Seed 000's four roles. Seed 000 says both "Operator: can view all devices" and
 * "Operators and Viewers see only their assigned devices"; the product takes
 * the second, so "all devices" reads as all devices assigned to them.
 */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  {
    key: 'owner',
    name: 'Owner',
    description:
      'Full control over the account, including billing, team management and all backup operations. One per company; can transfer ownership.',
    deviceVisibility: 'scope',
    permissions: ALL,
  },
  {
    key: 'admin',
    name: 'Admin',
    description:
      'Manages team members, configures backup policies, sees all devices and performs restores. Cannot modify billing or transfer ownership.',
    deviceVisibility: 'scope',
    permissions: ALL.filter((k) => k !== 'billing.manage' && k !== 'ownership.transfer'),
  },
  {
    key: 'operator',
    name: 'Operator',
    description:
      'Sees the devices assigned to them and their backup status, runs manual backups and performs restores. Cannot manage team members or change account settings.',
    deviceVisibility: 'assigned',
    permissions: [
      'dashboard.view',
      'monitoring.view',
      'groups.view',
      'devices.view',
      'agents.view',
      'backupServers.view',
      'jobs.view',
      'jobs.run',
      'backups.run',
      'restores.run',
      'm365.view',
      'failover.view',
      'publicCloud.view',
      'reports.view',
      'alarms.view',
      'protectedData.view',
      'charts.view',
    ],
  },
  {
    key: 'viewer',
    name: 'Viewer',
    description:
      'Read-only access to the dashboard, device status and backup history of the devices assigned to them. Cannot start backups or restores or change settings.',
    deviceVisibility: 'assigned',
    permissions: [
      'dashboard.view',
      'monitoring.view',
      'groups.view',
      'devices.view',
      'jobs.view',
      'reports.view',
      'alarms.view',
      'protectedData.view',
      'charts.view',
    ],
  },
];
