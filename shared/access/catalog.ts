import type { ModuleId } from './modules';

export type PermissionLevel = 'read' | 'full';

export interface PermissionDef {
  key: string;
  area: AreaId;
  level: PermissionLevel;
  module: ModuleId;
  label: string;
  /** The same permission under the name a seed gives it (seed 002's keys). */
  seedName?: string;
  /**
   * Who acts on the decision. `console`: Steward itself performs what the key allows and
   * checks it (an operation's rule or a list's filter). `service`: the action is the backup
   * service's own (restores, jobs, agents…); Steward performs none of it and decides it for
   * the service through access.decide / access.effective, per device and person.
   */
  enforcedBy: 'console' | 'service';
}

/** The keys whose actions Steward performs itself; every other key is the backup service's to act on. */
const CONSOLE_KEYS: ReadonlySet<string> = new Set([
  'groups.view',
  'groups.manage',
  'locations.manage',
  'company.view',
  'company.manage',
  'users.view',
  'users.create',
  'users.edit',
  'users.delete',
  'roles.view',
  'roles.create',
  'roles.edit',
  'roles.delete',
  'settings.view',
  'settings.manage',
  'billing.view',
  'billing.manage',
  'ownership.transfer',
  'devices.view',
  'devices.manage',
  'devices.assign',
  'audit.view',
  'audit.export',
  // Issue 18: the console draws the dashboard and its historical charts itself.
  'dashboard.view',
  'charts.view',
]);

/**
 * Areas are the rows of the matrix editor. Each row of seed 003's table is an area;
 * seed 003's "Configuration tasks" row is split into the tasks it lists, so that
 * "Only portal users" is expressible. Seeds 000 and 001 add billing, ownership, account
 * settings, dashboard, deployment and charts.
 */
export const AREAS = {
  dashboard: 'Dashboard',
  monitoring: 'Monitoring',
  groups: 'Customer groups',
  locations: 'Locations',
  company: 'Company info and branding',
  users: 'Portal users',
  roles: 'Roles',
  policies: 'Backup policies',
  alarmSettings: 'Alarm settings',
  plugins: 'Plugin library',
  settings: 'Account settings',
  billing: 'Invoices and billing',
  ownership: 'Ownership',
  devices: 'Managed computers',
  deployment: 'Automatic deployment',
  discovery: 'Discovery rules',
  agents: 'Backup agents',
  restores: 'File-level restore',
  backupServers: 'Backup servers',
  jobs: 'Jobs assigned by service provider',
  publicCloud: 'Public cloud backup',
  failover: 'Failover plans',
  m365: 'Microsoft 365 backup',
  monitoringTools: 'Monitoring and reporting tools',
  reports: 'Backup reports',
  activeAlarms: 'Active alarms',
  protectedData: 'Protected data',
  charts: 'Historical charts',
  audit: 'Audit trail',
} as const;

export type AreaId = keyof typeof AREAS;

const p = (key: string, area: AreaId, level: PermissionLevel, module: ModuleId, label: string, seedName?: string): PermissionDef => ({
  key,
  area,
  level,
  module,
  label,
  ...(seedName ? { seedName } : {}),
  enforcedBy: CONSOLE_KEYS.has(key) ? 'console' : 'service',
});

export const PERMISSIONS: readonly PermissionDef[] = [
  p('dashboard.view', 'dashboard', 'read', 'core', 'View the dashboard'),
  p('monitoring.view', 'monitoring', 'read', 'core', 'View monitoring data'),
  p('groups.view', 'groups', 'read', 'groups', 'View customer groups'),
  p('groups.manage', 'groups', 'full', 'groups', 'Create, edit, move and remove customer groups'),
  p('locations.manage', 'locations', 'full', 'groups', 'Create, edit and remove locations and departments'),
  p('company.view', 'company', 'read', 'core', 'View company profile, contacts and branding'),
  p('company.manage', 'company', 'full', 'core', 'Edit company profile, contacts, activities and branding'),
  p('users.view', 'users', 'read', 'users', 'View users page', 'view_users_page'),
  p('users.create', 'users', 'full', 'users', 'Create and invite users', 'create_additional_users'),
  p('users.edit', 'users', 'full', 'users', 'Edit users', 'edit_users'),
  p('users.delete', 'users', 'full', 'users', 'Delete users', 'delete_users'),
  p('roles.view', 'roles', 'read', 'users', 'View roles and who holds them'),
  p('roles.create', 'roles', 'full', 'users', 'Create roles', 'create_user_role'),
  p('roles.edit', 'roles', 'full', 'users', 'Edit roles', 'edit_user_roles'),
  p('roles.delete', 'roles', 'full', 'users', 'Delete roles', 'delete_user_roles'),
  p('policies.view', 'policies', 'read', 'backupProfiles', 'View backup policies and profiles'),
  p('policies.manage', 'policies', 'full', 'backupProfiles', 'Configure backup policies and profiles'),
  p('alarmSettings.manage', 'alarmSettings', 'full', 'core', 'Configure alarms'),
  p('plugins.manage', 'plugins', 'full', 'core', 'Manage the plugin library'),
  p('settings.view', 'settings', 'read', 'core', 'View account settings'),
  p('settings.manage', 'settings', 'full', 'core', 'Change account settings'),
  p('billing.view', 'billing', 'read', 'core', 'View invoices and billing'),
  p('billing.manage', 'billing', 'full', 'core', 'Change billing, plan and seat limit'),
  p('ownership.transfer', 'ownership', 'full', 'core', 'Transfer ownership of the company'),
  p('devices.view', 'devices', 'read', 'devices', 'View devices and their backup status'),
  p('devices.manage', 'devices', 'full', 'devices', 'Add, import, edit and remove devices'),
  p('devices.assign', 'devices', 'full', 'devices', 'Assign devices to team members'),
  p('deployment.run', 'deployment', 'full', 'deployment', 'Automatic deployment'),
  p('deployment.passphrases', 'deployment', 'full', 'deployment', 'Generate passphrases'),
  p('discovery.view', 'discovery', 'read', 'devices', 'View discovery rules'),
  p('discovery.manage', 'discovery', 'full', 'devices', 'Manage discovery rules'),
  p('agents.view', 'agents', 'read', 'devices', 'View backup agents'),
  p('agents.manage', 'agents', 'full', 'devices', 'Manage backup agents'),
  p('restores.run', 'restores', 'full', 'core', 'Perform file-level restores'),
  p('restores.disasterRecovery', 'restores', 'full', 'core', 'Run disaster-recovery restores', 'restore_disaster_recovery'),
  p('backupServers.view', 'backupServers', 'read', 'core', 'View backup servers (Veeam Backup & Replication)'),
  p('backupServers.manage', 'backupServers', 'full', 'core', 'Manage backup servers (Veeam Backup & Replication)'),
  p('jobs.view', 'jobs', 'read', 'core', 'View schedules, jobs and backup history', 'view_schedules_page'),
  p('jobs.run', 'jobs', 'full', 'core', 'Run and stop scheduled jobs', 'run_schedule'),
  p('backups.run', 'jobs', 'full', 'core', 'Run manual backups'),
  p('publicCloud.view', 'publicCloud', 'read', 'core', 'View public cloud backup'),
  p('publicCloud.manage', 'publicCloud', 'full', 'core', 'Manage public cloud backup'),
  p('failover.view', 'failover', 'read', 'core', 'View failover plans'),
  p('failover.manage', 'failover', 'full', 'core', 'Manage and run failover plans'),
  p('m365.view', 'm365', 'read', 'core', 'View Microsoft 365 backup'),
  p('m365.manage', 'm365', 'full', 'core', 'Manage Microsoft 365 backup'),
  p('monitoringTools.view', 'monitoringTools', 'read', 'core', 'Use monitoring and reporting tools (Veeam ONE)'),
  p('reports.view', 'reports', 'read', 'core', 'View backup reports'),
  p('reports.manage', 'reports', 'full', 'core', 'Configure backup reports'),
  p('alarms.view', 'activeAlarms', 'read', 'core', 'View active alarms'),
  p('alarms.manage', 'activeAlarms', 'full', 'core', 'Acknowledge and resolve alarms'),
  p('protectedData.view', 'protectedData', 'read', 'core', 'View protected data'),
  p('charts.view', 'charts', 'read', 'charts', 'View historical charts'),
  p('audit.view', 'audit', 'read', 'core', 'View the audit trail'),
  p('audit.export', 'audit', 'full', 'core', 'Export the audit trail'),
];

const BY_KEY = new Map<string, PermissionDef>();
for (const def of PERMISSIONS) {
  BY_KEY.set(def.key, def);
  if (def.seedName) BY_KEY.set(def.seedName, def);
}

export const PERMISSION_KEYS: readonly string[] = PERMISSIONS.map((d) => d.key);

/** Finds a permission by its key or by the name a seed gives it. */
export function permission(keyOrSeedName: string): PermissionDef | undefined {
  return BY_KEY.get(keyOrSeedName);
}

export function areaPermissions(area: AreaId): PermissionDef[] {
  return PERMISSIONS.filter((d) => d.area === area);
}
