import { permission as lookup, type PermissionDef } from './catalog';
import type { DeviceVisibility } from './builtin-roles';
import type { GroupKind } from './groups';
import { moduleAvailable } from './modules';
import type { RoleMeaning } from './owner';

export interface RoleGrant {
  id: string;
  name: string;
  permissions: ReadonlySet<string>;
  deviceVisibility: DeviceVisibility;
  /** R9: what the role means beyond its keys (Owner, Admin); absent for ordinary roles. */
  meaning?: RoleMeaning | null;
}

/** A role held over a group's subtree. */
export interface Binding {
  groupId: string;
  role: RoleGrant;
}

/** An invitation lives at the group it invites to, and is seen with users.view there. */
export type TargetType = 'group' | 'user' | 'role' | 'device' | 'invitation';

/**
 * What is being acted on, reduced to what the rule needs: the group it lives in (a user's
 * home group, a role's owner group, a device's owning group) as a path from that group up
 * to the root, the group's kind, and for devices whether it is assigned to the subject.
 */
export interface Target {
  type: TargetType;
  id: string;
  /** Group ids from the target's own group (first) to the root (last). */
  path: readonly string[];
  kind: GroupKind;
  assignedToSubject?: boolean;
}

export type Missing = 'unknown-permission' | 'module' | 'scope' | 'permission' | 'assignment';

export type Decision =
  | { allowed: true; binding: Binding; permission: PermissionDef }
  | { allowed: false; missing: Missing; permission?: PermissionDef; candidates: Binding[] };

/**
 * R2: S may do P on T iff some binding of S sits on T's path to the root, its
 * role grants P, P's module is available at T's group kind, and, for a device under a
 * role that sees assigned devices only, T is assigned to S. Cost grows with the
 * subject's bindings and the tree's depth, never with the size of the installation.
 */
export function decide(bindings: readonly Binding[], permissionKey: string, target: Target): Decision {
  const def = lookup(permissionKey);
  if (!def) return { allowed: false, missing: 'unknown-permission', candidates: [] };
  if (!moduleAvailable(def.module, target.kind)) return { allowed: false, missing: 'module', permission: def, candidates: [] };
  const onPath: Binding[] = [];
  let assignmentBlocked = false;
  for (const binding of bindings) {
    if (!target.path.includes(binding.groupId)) continue;
    onPath.push(binding);
    if (!binding.role.permissions.has(def.key)) continue;
    if (target.type === 'device' && binding.role.deviceVisibility === 'assigned' && !target.assignedToSubject) {
      assignmentBlocked = true;
      continue;
    }
    return { allowed: true, binding, permission: def };
  }
  const missing: Missing = assignmentBlocked ? 'assignment' : onPath.length > 0 ? 'permission' : 'scope';
  return { allowed: false, missing, permission: def, candidates: onPath };
}

/** Every permission key the subject holds at a target, after module availability. */
export function grantedAt(bindings: readonly Binding[], target: Omit<Target, 'type' | 'id'>): Set<string> {
  const out = new Set<string>();
  for (const binding of bindings) {
    if (!target.path.includes(binding.groupId)) continue;
    for (const key of binding.role.permissions) {
      const def = lookup(key);
      if (def && moduleAvailable(def.module, target.kind)) out.add(key);
    }
  }
  return out;
}
