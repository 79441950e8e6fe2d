import { isCompanyKind, type GroupKind } from './groups';

/**
 * Seed 001's table: which console modules exist at which kind of group. Every module is
 * available everywhere except automatic deployment and passphrase generation, which only
 * an end customer (and its locations and departments) has.
 */
export const MODULES = {
  deployment: { label: 'Automatic deployment and generating passphrases', endCustomerOnly: true },
  backupProfiles: { label: 'Backup profiles', endCustomerOnly: false },
  groups: { label: 'Group management', endCustomerOnly: false },
  devices: { label: 'Device management', endCustomerOnly: false },
  charts: { label: 'Historical charts', endCustomerOnly: false },
  users: { label: 'User management', endCustomerOnly: false },
  core: { label: 'Console', endCustomerOnly: false },
} as const;

export type ModuleId = keyof typeof MODULES;

/** True when `kind` is an end customer or lives inside one. */
export function isEndCustomerKind(kind: GroupKind): boolean {
  return kind === 'customer' || !isCompanyKind(kind);
}

export function moduleAvailable(module: ModuleId, kind: GroupKind): boolean {
  return !MODULES[module].endCustomerOnly || isEndCustomerKind(kind);
}

export function moduleUnavailableReason(module: ModuleId, kind: GroupKind): string | null {
  if (moduleAvailable(module, kind)) return null;
  return `${MODULES[module].label} is available only at end customers, not at ${kind.replace('_', '-')} groups`;
}
