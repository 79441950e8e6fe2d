import { areaPermissions, PERMISSION_KEYS, type AreaId } from './catalog';
import { BUILTIN_ROLES, type DeviceVisibility } from './builtin-roles';
import type { RoleMeaning } from './owner';

/** A role limited to bindings at one kind of group: seed 003's location roles, seed 004's Group Supervisor. */
export type ScopeKind = 'location' | 'department';

/** The sets templates come in, each named for what it is (issue 15: no internal vocabulary). */
export const TEMPLATE_SETS = ['team', 'company-portal', 'saas-backup'] as const;
export type TemplateSet = (typeof TEMPLATE_SETS)[number];
export const TEMPLATE_SET_TITLES: Record<TemplateSet, string> = {
  team: 'Team roles: Owner, Admin, Operator, Viewer',
  'company-portal': 'Company portal roles',
  'saas-backup': 'SaaS backup access levels',
};

export interface RoleTemplate {
  /** `<set>-<name>`, e.g. `saas-backup-reviewer`. */
  id: string;
  set: TemplateSet;
  name: string;
  /** What the role is, in words for its holders: a role made from the template keeps it. */
  description: string;
  /**
   * How the template's keys were chosen where its source left room for reading, for the
   * person choosing a template; shown in the picker, never copied into the role.
   */
  explanation?: string;
  deviceVisibility: DeviceVisibility;
  permissions: readonly string[];
  /** The kind of group its bindings must sit at, when the set limits it (company portal locations, SaaS backup departments). */
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
 * reading chosen is written in the explanation.
 */
const SEED_003: RoleTemplate[] = [
  {
    id: 'company-portal-company-owner',
    set: 'company-portal',
    meaning: 'owner',
    name: 'Company Owner',
    description:
      'Runs the company: its configuration, locations and users, managed computers and monitoring, with billing and the audit trail to read.',
    explanation: 'Every row of the company portal table at its level, plus group view and the audit trail, which the table does not list.',
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
    id: 'company-portal-company-administrator',
    set: 'company-portal',
    meaning: 'admin',
    name: 'Company Administrator',
    description: 'As Company Owner, but cannot change or remove the Owner.',
    explanation: 'The same keys as Company Owner: the Owner is protected from every Admin by the Owner rule, not by missing keys.',
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
    id: 'company-portal-location-administrator',
    set: 'company-portal',
    name: 'Location Administrator',
    description: 'Runs one or more locations: their portal users, managed computers and monitoring; no billing and no managing locations.',
    explanation: 'As Company Owner at its locations, with configuration limited to portal users, as the company portal table says.',
    deviceVisibility: 'scope',
    scopeKind: 'location',
    permissions: levels({ users: 'full', ...all(MANAGED, 'full'), ...all(READ_ONLY, 'read'), groups: 'read', dashboard: 'read' }),
  },
  {
    id: 'company-portal-location-user',
    set: 'company-portal',
    name: 'Location User',
    description: 'Reads the monitoring data of one or more locations.',
    explanation: 'Read only, on the rows where the company portal table says Read.',
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
    id: 'company-portal-subtenant',
    set: 'company-portal',
    name: 'Subtenant',
    description:
      'Only their own computers, the ones assigned to them: sees those computers, their agents, monitoring, alarms and protected data, and restores files on them; no other device, no users, no configuration.',
    explanation:
      'Their own computers are backed up by their agents to their cloud repository: a device becomes theirs when it is assigned to them.',
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
    id: 'company-portal-invoice-auditor',
    set: 'company-portal',
    name: 'Company Invoice Auditor',
    description: 'Invoices and billing notifications, read only.',
    deviceVisibility: 'assigned',
    permissions: levels({ billing: 'read' }),
  },
];

/** Seed 000's four roles, as templates to copy from. */
const SEED_000: RoleTemplate[] = BUILTIN_ROLES.map((r) => ({
  id: `team-${r.key}`,
  set: 'team',
  name: r.name,
  description: r.description,
  deviceVisibility: r.deviceVisibility,
  permissions: r.permissions,
}));

/** What every seed-004 level that sees backed-up data needs to find and read it. */
const SEE_DATA = ['dashboard.view', 'monitoring.view', 'groups.view', 'devices.view', 'm365.view', 'jobs.view', 'protectedData.view'];
const ARCHIVER_ONLY = 'SaaS Backup + Archiver only.';
/** The SaaS backup product names its levels without a permission table: the keys are a reading of the name. */
const READ_FROM_NAME =
  'The product names this level without listing its permissions: the keys are a reading of its name and of what the product says delegated users see.';

/**
 * Seed 004's ten access levels. The seed names them but leaves their permission cells
 * empty, so each description says the reading chosen from the names and the rest of the
 * seed: delegated users "see your backed-up data (depending on their access level)", a
 * Group Supervisor is an admin of the departments chosen with the role, all activity is
 * in the audit log, and four levels exist only with the Archiver product.
 */
const SEED_004: RoleTemplate[] = [
  {
    id: 'saas-backup-full-admin',
    set: 'saas-backup',
    name: 'Full Admin',
    description:
      'Everything in the organization (backed-up data of every user, restores, user management and departments, settings, audit log, archive), except changing billing and transferring ownership, which stay with the Owner.',
    explanation: READ_FROM_NAME,
    deviceVisibility: 'scope',
    permissions: PERMISSION_KEYS.filter((k) => k !== 'billing.manage' && k !== 'ownership.transfer'),
  },
  {
    id: 'saas-backup-it-admin',
    set: 'saas-backup',
    name: 'IT Admin',
    description:
      'Runs backups and restores for every user and manages user access and departments (grant permission, login on/off), with the audit log; no account settings, billing or role editing.',
    explanation: READ_FROM_NAME,
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
    id: 'saas-backup-restricted-it-admin',
    set: 'saas-backup',
    name: 'Restricted IT Admin',
    description:
      'As IT Admin for backups and restores of every user, but cannot manage users, roles or departments (sees the user list only) and has no audit log.',
    explanation: READ_FROM_NAME,
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
    id: 'saas-backup-group-supervisor',
    set: 'saas-backup',
    name: 'Group Supervisor',
    description:
      'Admin of one or more departments: sees and restores the backed-up data of their users (homed in them or members of them), turns their login on or off; cannot add or delete users, and hands out only what it holds itself.',
    explanation: `Bound to one or more departments, chosen just below the role. ${READ_FROM_NAME}`,
    deviceVisibility: 'scope',
    scopeKind: 'department',
    permissions: [...SEE_DATA, 'users.view', 'users.edit', 'restores.run', 'reports.view', 'alarms.view'],
  },
  {
    id: 'saas-backup-user',
    set: 'saas-backup',
    name: 'User',
    description: 'A backed-up user signing in to their own backup: sees and restores only the data assigned to them (their own accounts).',
    explanation: READ_FROM_NAME,
    deviceVisibility: 'assigned',
    permissions: ['dashboard.view', 'devices.view', 'm365.view', 'jobs.view', 'protectedData.view', 'restores.run'],
  },
  {
    id: 'saas-backup-user-view-restore',
    set: 'saas-backup',
    name: 'User View and Restore',
    description:
      'Sees and restores the backed-up data of every user in scope (not only their own), without any configuration, user management or audit log.',
    explanation: READ_FROM_NAME,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA, 'users.view', 'restores.run'],
  },
  {
    id: 'saas-backup-compliance-officer',
    set: 'saas-backup',
    name: 'Compliance and Review Officer',
    description: 'Reviews the archive of every user, with reports and the audit log (view and export); reads, never restores or changes.',
    explanation: `${ARCHIVER_ONLY} ${READ_FROM_NAME}`,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA, 'users.view', 'reports.view', 'audit.view', 'audit.export'],
  },
  {
    id: 'saas-backup-reviewer',
    set: 'saas-backup',
    name: 'Reviewer',
    description: 'Reviews the archived data of every user in scope, read only; no audit log, users or restores.',
    explanation: `${ARCHIVER_ONLY} ${READ_FROM_NAME}`,
    deviceVisibility: 'scope',
    permissions: [...SEE_DATA],
  },
  {
    id: 'saas-backup-limited-reviewer',
    set: 'saas-backup',
    name: 'Limited Reviewer',
    description: 'As Reviewer, limited to the data assigned to them.',
    explanation: `${ARCHIVER_ONLY} ${READ_FROM_NAME}`,
    deviceVisibility: 'assigned',
    permissions: [...SEE_DATA],
  },
  {
    id: 'saas-backup-data-protection-officer',
    set: 'saas-backup',
    name: 'Data Protection Officer',
    description:
      'Oversight of personal data: who holds which access (users and roles), the audit log (view and export), settings and reports, read only; sees which data is held but does not restore it.',
    explanation: `${ARCHIVER_ONLY} ${READ_FROM_NAME}`,
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
