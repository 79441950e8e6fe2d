import { useEffect } from 'react';
import { permission } from '../../../shared/access/catalog';
import { decide, type Binding } from '../../../shared/access/decide';
import type { GroupKind } from '../../../shared/access/groups';
import { moduleUnavailableReason } from '../../../shared/access/modules';
import type { MyAccess } from '../../../shared/contract';
import { useGroups } from '../groups/groups-store';
import type { TreeModel } from '../groups/tree-model';
import { useMyAccess } from './my-access';

/** A permission as people and seeds know it: its label and its key (and seed 002's name when it has one). */
export function permissionName(key: string): string {
  const def = permission(key);
  if (!def) return key;
  return `“${def.label}” (${def.key}${def.seedName ? `, seed name ${def.seedName}` : ''})`;
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

/**
 * The one gate for a control (seed 002's troubleshooting: a gray button names what is
 * missing). Without a group: whether the caller holds the key anywhere. With one: at that
 * group. Null while unknown, or when the answer depends on a place the console cannot see:
 * the control stays on and the server's refusal explains. Pair it with ActionButton's
 * `reason` (renderer/src/team/parts/ActionButton.tsx) or put it in `title` of a disabled control.
 */
export function useMissingPermission(key: string, groupId?: string | null): string | null {
  return useMissingPermissionCheck()(key, groupId);
}

/** The gate for installation-wide things (settings, the whole audit chain), which belong to the root of the tree. */
export function useMissingPermissionAtRoot(key: string): string | null {
  const root = useMyAccess((s) => s.access?.home.path.at(-1) ?? null);
  return useMissingPermissionCheck()(key, root);
}

/** The same gate as a function, for rows of a list where a hook per row is not possible. */
export function useMissingPermissionCheck(): (key: string, groupId?: string | null) => string | null {
  const access = useMyAccess((s) => s.access);
  const model = useGroups((s) => s.model);
  useEffect(() => {
    if (!access) void loadOnce();
  }, [access]);
  return (key, groupId) => {
    if (!access) return null;
    if (groupId) {
      const place = placeOf(groupId, access, model);
      if (place) return missingAt(access, key, place);
    }
    return holdsAnywhere(access, key) ? null : missingPermissionText(key);
  };
}

let loading: Promise<void> | null = null;
function loadOnce(): Promise<void> {
  loading ??= useMyAccess
    .getState()
    .load()
    .finally(() => {
      loading = null;
    });
  return loading;
}
