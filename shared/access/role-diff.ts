import type { DeviceVisibility } from './builtin-roles';
import type { ScopeKind } from './templates';

/** What a role version holds, as far as a diff cares. */
export interface RoleContent {
  name: string;
  description: string;
  deviceVisibility: DeviceVisibility;
  scopeKind: ScopeKind | null;
  permissions: readonly string[];
}

export type DiffedField = 'name' | 'description' | 'deviceVisibility' | 'scopeKind';

export interface FieldChange {
  field: DiffedField;
  from: string | null;
  to: string | null;
}

export interface RoleDiff {
  /** Keys in b and not in a, sorted. */
  added: string[];
  /** Keys in a and not in b, sorted. */
  removed: string[];
  /** Fields other than the keys whose value differs, in a fixed order. */
  changed: FieldChange[];
}

const FIELDS: readonly DiffedField[] = ['name', 'description', 'deviceVisibility', 'scopeKind'];

/** From version a to version b: what b adds, takes away and renames. */
export function diffRoleVersions(a: RoleContent, b: RoleContent): RoleDiff {
  const before = new Set(a.permissions);
  const after = new Set(b.permissions);
  return {
    added: [...after].filter((k) => !before.has(k)).sort(),
    removed: [...before].filter((k) => !after.has(k)).sort(),
    changed: FIELDS.filter((f) => a[f] !== b[f]).map((field) => ({ field, from: a[field], to: b[field] })),
  };
}
