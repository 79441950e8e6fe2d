import { areaPermissions, PERMISSION_KEYS, type AreaId } from './catalog';
import { BUILTIN_ROLES, type DeviceVisibility } from './builtin-roles';
import type { RoleMeaning } from './owner';

/** A role limited to bindings at one kind of group: seed 003's location roles, seed 004's Group Supervisor. */
export type ScopeKind = 'location' | 'department';

export interface RoleTemplate {
  id: string;
  seed: '000' | '003' | '004';
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  permissions: readonly string[];
  /** The kind of group its bindings must sit at, when the seed limits it (seed 003 locations, seed 004 departments). */
  scopeKind?: ScopeKind;
  /** R9: a role made from this template means Owner or Admin of its company. */
  meaning?: RoleMeaning;
}

type Level = 'full' | 'read';

/** Every key of an area at a level: Full takes the whole area, Read its read keys. */
function area(id: AreaId, level: Level): string[] {
  return areaPermissions(id)
    .filter((p) => level === 'full' || p.level === 'read')
    .map((p) => p.key);
}

function levels(spec: Partial<Record<AreaId, Level>>): string[] {
  return Object.entries(spec).flatMap(([id, level]) => area(id as AreaId, level));
}

const CONFIGURATION: AreaId[] = ['locations', 'users', 'policies', 'alarmSettings', 'company', 'plugins'];
const MANAGED: AreaId[] = [
  'devices',
  'discovery',
  'agents',
  'restores',
  'backupServers',
  'jobs',
  'publicCloud',
  'failover',
  'm365',
  'reports',
  'activeAlarms',
];
const READ_ONLY: AreaId[] = ['monitoringTools', 'monitoring', 'protectedData'];
const all = (ids: AreaId[], level: Level) => Object.fromEntries(ids.map((id) => [id, level])) as Partial<Record<AreaId, Level>>;

/**
 * Seed 003's six company roles, cell by cell from its table. The table's rows are areas
 * (its "Configuration tasks" row is split into the tasks it names, so "Only portal users"
 * is the users area alone). Where the table says nothing (groups, dashboard, audit), the
 * reading chosen is written in the description.
 */
const SEED_003: RoleTemplate[] = [
  {
    id: 'seed003-company-owner',
    seed: '003',
    meaning: 'owner',
    name: 'Company Owner',
    description: 'Everything in the table at its level, plus group view and the audit trail (not in the table).',
    deviceVisibility: 'scope',
    permissions: levels({
      ...all(CONFIGURATION, 'full'),
      ...all(MANAGED, 'full'),
      ...all(READ_ONLY, 'read'),
      billing: 'read',
      groups: 'read',
      dashboard: 'read',
      audit: 'read',
    }),
  },
  {
    id: 'seed003-company-administrator',
    seed: '003',
    meaning: 'admin',
    name: 'Company Administrator',
    description: 'As Company Owner; cannot modify or remove the Owner (enforced for every Owner, not by keys).',
    deviceVisibility: 'scope',
    permissions: levels({
      ...all(CONFIGURATION, 'full'),
      ...all(MANAGED, 'full'),
      ...all(READ_ONLY, 'read'),
      billing: 'read',
      groups: 'read',
      dashboard: 'read',
      audit: 'read',
    }),
  },
  {
    id: 'seed003-location-administrator',
    seed: '003',
    name: 'Location Administrator',
    description:
      'As Company Owner at one or more locations, without billing and without managing locations; configuration limited to portal users.',
    deviceVisibility: 'scope',
    scopeKind: 'location',
    permissions: levels({ users: 'full', ...all(MANAGED, 'full'), ...all(READ_ONLY, 'read'), groups: 'read', dashboard: 'read' }),
  },
  {
    id: 'seed003-location-user',
    seed: '003',
    name: 'Location User',
    description: 'Monitoring data of one or more locations, read only where the table says Read.',
    deviceVisibility: 'scope',
    scopeKind: 'location',
    permissions: levels({
      devices: 'read',
      agents: 'read',
      backupServers: 'read',
      jobs: 'read',
      failover: 'read',
      m365: 'read',
      monitoringTools: 'read',
      reports: 'read',
      monitoring: 'read',
      activeAlarms: 'read',
      protectedData: 'read',
      groups: 'read',
      dashboard: 'read',
    }),
  },
  {
    id: 'seed003-subtenant',
    seed: '003',
    name: 'Subtenant',
    description:
      'Only their own computers, the ones assigned to them (backed up by their agents to their cloud repository): sees those computers, their agents, monitoring, alarms and protected data (read) and restores files on them (full); no other device, no users, no configuration.',
    deviceVisibility: 'assigned',
    // devices.view under 'assigned' visibility is what makes a computer theirs: it lets a device
    // be assigned to them and shows them exactly the assigned ones. It is the table's "*" (their
    // own computers), not its "Managed computers" row, which stays N/A: no devices.manage or
    // devices.assign, and no device they do not hold.
    permissions: [
      'devices.view',
      ...levels({ agents: 'read', restores: 'full', monitoring: 'read', activeAlarms: 'read', protectedData: 'read' }),
    ],
  },
  {
    id: 'seed003-invoice-auditor',
    seed: '003',
    name: 'Company Invoice Auditor',
    description: 'Invoices and billing notifications, read only.',
    deviceVisibility: 'assigned',
    permissions: levels({ billing: 'read' }),
  },
];

/** Seed 000's four roles, as templates to copy from. */
const SEED_000: RoleTemplate[] = BUILTIN_ROLES.map((r) => ({
  id: `seed000-${r.key}`,
  seed: '000',
  name: r.name,
  description: `${r.description}`,
  deviceVisibility: r.deviceVisibility,
  permissions: r.permissions,
}));

/** What every seed-004 level that sees backed-up data needs to find and read it. */
const SEE_DATA = ['dashboard.view', 'monitoring.view', 'groups.view', 'devices.view', 'm365.view', 'jobs.view', 'protectedData.view'];
const ARCHIVER_ONLY = 'SaaS Backup + Archiver only.';

/**
 * Seed 004's ten access levels. The seed names them but leaves their permission cells
 * empty, so each description says the reading chosen from the names and the rest of the
 * seed: delegated users "see your backed-up data (depending on their access level)", a
 * Group Supervisor is an admin of the departments chosen with the role, all activity is
 * in the audit log, and four levels exist only with the Archiver product.
 */
const SEED_004: RoleTemplate[] = [
  {
    id: 'seed004-full-admin',
    seed: '004',
    name: 'Full Admin',
    description:
      'Reading: everything in the organization (backed-up data of every user, restores, user management and departments, settings, audit log, archive), except changing billing and transferring ownership, which stay with the Owner.',
    deviceVisibility: 'scope',
    permissions: PERMISSION_KEYS.filter((k) => k !== 'billing.manage' && k !== 'ownership.transfer'),
  },
  {
    id: 'seed004-it-admin',
    seed: '004',
    name: 'IT Admin',
    description:
      'Reading: runs backups and restores for every user and manages user access and departments (grant permission, login on/off), with the audit log; no account settings, billing or role editing.',
    deviceVisibility: 'scope',
    permissions: [
      ...SEE_DATA,
      ...area('users', 'full'),
      'roles.view',
      'locations.manage',
      'devices.manage',
      'devices.assign',
      'm365.manage',
      'jobs.run',
      'backups.run',
      'restores.run',
      'reports.view',
      'alarms.view',
      'alarms.manage',
      'audit.view',
    ],
  },
  {
    id: 'seed004-restricted-it-admin',
    seed: '004',
    name: 'Restricted IT Admin',
    description:
      'Reading: as IT Admin for backups and restores of every user, but cannot manage users, roles or departments (sees the user list only) and has no audit log.',
    deviceVisibility: 'scope',
    permissions: [
      ...SEE_DATA,
      'users.view',
      'devices.manage',
      'm365.manage',
      'jobs.run',
      'backups.run',
      'restores.run',
      'reports.view',
      'alarms.view',
    ],
  },
  {
    id: 'seed004-group-supervisor',
    seed: '004',
    name: 'Group Supervisor',
    description:
      'Bound to one or more departments, chosen just below the role. Reading: admin of those departments: sees and restores the backed-up data of their users (homed in them or members of them), turns their login on or off; cannot add or delete users, and hands out only what it holds itself.',
    deviceVisibility: 'scope',
    scopeKind: 'department',
    permissions: [...SEE_DATA, 'users.view', 'users.edit', 'restores.run', 'reports.view', 'alarms.view'],
  },
  {
    id: 'seed004-user',
    seed: '004',
    name: 'User',
    description:
      'Reading: a backed-up user signing in to their own backup: sees and restores only the data assigned to them (their own accounts).',
    deviceVisibility: 'assigned',
    permissions: ['dashboard.view', 'devices.view', 'm365.view', 'jobs.view', 'protectedData.view', 'restores.run'],
  },
  {
    id: 'seed004-user-view-restore',
    seed: '004',
    name: 'User View and Restore',
    description:
      'Reading: sees and restores the backed-up data of every user in scope (not only their own), without any configuration, user management or audit log.',
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA, 'users.view', 'restores.run'],
  },
  {
    id: 'seed004-compliance-officer',
    seed: '004',
    name: 'Compliance and Review Officer',
    description: `${ARCHIVER_ONLY} Reading: reviews the archive of every user, with reports and the audit log (view and export); reads, never restores or changes.`,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA, 'users.view', 'reports.view', 'audit.view', 'audit.export'],
  },
  {
    id: 'seed004-reviewer',
    seed: '004',
    name: 'Reviewer',
    description: `${ARCHIVER_ONLY} Reading: reviews the archived data of every user in scope, read only; no audit log, users or restores.`,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA],
  },
  {
    id: 'seed004-limited-reviewer',
    seed: '004',
    name: 'Limited Reviewer',
    description: `${ARCHIVER_ONLY} Reading: as Reviewer, limited to the data assigned to them.`,
    deviceVisibility: 'assigned',
    permissions: [...SEE_DATA],
  },
  {
    id: 'seed004-data-protection-officer',
    seed: '004',
    name: 'Data Protection Officer',
    description: `${ARCHIVER_ONLY} Reading: oversight of personal data: who holds which access (users and roles), the audit log (view and export), settings and reports, read only; sees which data is held but does not restore it.`,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA, 'users.view', 'roles.view', 'settings.view', 'reports.view', 'audit.view', 'audit.export'],
  },
];

export const ROLE_TEMPLATES: readonly RoleTemplate[] = [...SEED_000, ...SEED_003, ...SEED_004];

export function template(id: string): RoleTemplate | undefined {
  return ROLE_TEMPLATES.find((t) => t.id === id);
}

/** Sanity for the table above: every key a template names exists. */
export function unknownTemplateKeys(): string[] {
  const known = new Set(PERMISSION_KEYS);
  return ROLE_TEMPLATES.flatMap((t) => t.permissions.filter((k) => !known.has(k)).map((k) => `${t.id}:${k}`));
}
