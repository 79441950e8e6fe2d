import type { DeviceVisibility } from '../../../shared/access/builtin-roles';
import type { Binding, RoleGrant } from '../../../shared/access/decide';

/** A role as the rules see it; `id` defaults to the name. */
export function role(name: string, permissions: readonly string[], deviceVisibility: DeviceVisibility = 'scope'): RoleGrant {
  return { id: name, name, permissions: new Set(permissions), deviceVisibility };
}

export function bind(groupId: string, grant: RoleGrant): Binding {
  return { groupId, role: grant };
}

/**
 * One small tree used across the access tests: the provider root, a reseller, its end
 * customer Acme, Acme's location Berlin and Berlin's department Finance, and a second
 * customer Globex beside Acme. Paths run from the group itself up to the root.
 */
export const PATH = {
  root: ['root'],
  reseller: ['reseller', 'root'],
  acme: ['acme', 'reseller', 'root'],
  berlin: ['berlin', 'acme', 'reseller', 'root'],
  finance: ['finance', 'berlin', 'acme', 'reseller', 'root'],
  globex: ['globex', 'reseller', 'root'],
} as const;
