import { permission } from '../../../shared/access/catalog';
import { decide, type Binding } from '../../../shared/access/decide';
import type { GroupKind } from '../../../shared/access/groups';
import { moduleUnavailableReason } from '../../../shared/access/modules';
import type { MyAccess } from '../../../shared/contract';
import type { TreeModel } from './tree-model';

/** A permission as people and seeds know it: its label and its key (and seed 002's name when it has one). */
export function permissionName(key: string): string {
  const def = permission(key);
  if (!def) return key;
  return `“${def.label}” (${def.key}${def.seedName ? `, also called ${def.seedName}` : ''})`;
}

/** The tooltip of a control the caller cannot use: names the permission, so they know what to ask for. */
export function missingPermissionText(key: string, where?: string): string {
  return `Needs ${permissionName(key)}${where ? ` at ${where}` : ''}, which your roles do not grant.`;
}

export interface Place {
  /** Group ids, the group itself first, the root last. */
  path: readonly string[];
  kind: GroupKind;
  name?: string;
}

export function toBindings(access: MyAccess): Binding[] {
  return access.bindings.map((b) => ({
    groupId: b.groupId,
    role: { id: b.role.id, name: b.role.name, permissions: new Set(b.role.permissions), deviceVisibility: b.role.deviceVisibility },
  }));
}

export function holdsAnywhere(access: MyAccess, key: string): boolean {
  return access.bindings.some((b) => b.role.permissions.includes(key));
}

/**
 * A group's path to the root from what the console knows: the caller's tree (which stops at
 * the highest group they see) completed by the paths of their own bindings and home group.
 */
export function placeOf(groupId: string, access: MyAccess, model: TreeModel | null): Place | null {
  const known = new Map<string, { path: readonly string[]; kind: GroupKind }>();
  known.set(access.home.groupId, access.home);
  for (const b of access.bindings) known.set(b.groupId, b);
  const node = model?.nodes.get(groupId);
  const self = known.get(groupId);
  const kind = node?.group.kind ?? self?.kind;
  if (!kind) return null;
  const path: string[] = [];
  let id: string | null = groupId;
  while (id) {
    const above = known.get(id);
    if (above) return { path: [...path, ...above.path], kind, ...(node ? { name: node.group.name } : {}) };
    path.push(id);
    id = model?.nodes.get(id)?.parentId ?? null;
  }
  return null;
}

/**
 * Why the caller cannot do `key` at a place, or null when they can. The same rule as the
 * server's `decide`, applied to the caller's own bindings; only for greying out.
 */
export function missingAt(access: MyAccess, key: string, place: Place): string | null {
  const def = permission(key);
  const unavailable = def ? moduleUnavailableReason(def.module, place.kind) : null;
  if (unavailable) return `${unavailable}.`;
  const decision = decide(toBindings(access), key, { type: 'group', id: place.path[0] ?? '', path: place.path, kind: place.kind });
  return decision.allowed ? null : missingPermissionText(key, place.name);
}
