import { areaPermissions, PERMISSION_KEYS, type AreaId } from './catalog';
import { BUILTIN_ROLES, type DeviceVisibility } from './builtin-roles';

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
    name: 'Company Owner',
    description: 'Seed 003. Everything in the table at its level, plus group view and the audit trail (not in the table).',
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
    name: 'Company Administrator',
    description: 'Seed 003. As Company Owner; cannot modify or remove the Owner (enforced for every Owner, not by keys).',
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
      'Seed 003. As Company Owner at one or more locations, without billing and without managing locations; configuration limited to portal users.',
    deviceVisibility: 'scope',
    scopeKind: 'location',
    permissions: levels({ users: 'full', ...all(MANAGED, 'full'), ...all(READ_ONLY, 'read'), groups: 'read', dashboard: 'read' }),
  },
  {
    id: 'seed003-location-user',
    seed: '003',
    name: 'Location User',
    description: 'Seed 003. Monitoring data of one or more locations, read only where the table says Read.',
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
      'Seed 003. Only the computers assigned to them (their own agents’ backups in the cloud repository): agents, monitoring, alarms and protected data read; file-level restore full.',
    deviceVisibility: 'assigned',
    permissions: levels({ agents: 'read', restores: 'full', monitoring: 'read', activeAlarms: 'read', protectedData: 'read' }),
  },
  {
    id: 'seed003-invoice-auditor',
    seed: '003',
    name: 'Company Invoice Auditor',
    description: 'Seed 003. Invoices and billing notifications, read only.',
    deviceVisibility: 'assigned',
    permissions: levels({ billing: 'read' }),
  },
];

/** Seed 000's four roles, as templates to copy from. */
const SEED_000: RoleTemplate[] = BUILTIN_ROLES.map((r) => ({
  id: `seed000-${r.key}`,
  seed: '000',
  name: r.name,
  description: `Seed 000. ${r.description}`,
  deviceVisibility: r.deviceVisibility,
  permissions: r.permissions,
}));

export const ROLE_TEMPLATES: readonly RoleTemplate[] = [...SEED_000, ...SEED_003];

export function template(id: string): RoleTemplate | undefined {
  return ROLE_TEMPLATES.find((t) => t.id === id);
}

/** Sanity for the table above: every key a template names exists. */
export function unknownTemplateKeys(): string[] {
  const known = new Set(PERMISSION_KEYS);
  return ROLE_TEMPLATES.flatMap((t) => t.permissions.filter((k) => !known.has(k)).map((k) => `${t.id}:${k}`));
}
