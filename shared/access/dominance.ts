import type { Binding } from './decide';
import { escalationGaps, unassignedDeviceGaps } from './escalation';

/** One of the person's bindings, with the path of its group (itself first, root last). */
export interface PlacedBinding extends Binding {
  path: readonly string[];
}

/** A person as R7 compares them with the actor. */
export interface DominatedPerson {
  bindings: readonly PlacedBinding[];
  /**
   * The paths (device's group first, root last) of the devices assigned to the person and
   * not to the actor, one per group. A role that sees only assigned devices gives the
   * person its keys on these, where an actor holding the same role has none.
   */
  devicesAssignedApart: readonly (readonly string[])[];
}

/** A binding of the person that the actor does not dominate, and the keys the actor lacks there. */
export interface DominanceGap {
  groupId: string;
  roleName: string;
  missing: string[];
}

/**
 * R7 (dominance): the actor may act on a person (edit, disable, remove, reset their password
 * or MFA, change their roles, departments or devices) only if, at every scope where the
 * person holds a role, the actor holds every permission the person holds there, devices
 * seen as widely (R5's visibility clause), and on every device assigned to the person that
 * a role of theirs seeing assigned devices covers. `within`, when given, limits the
 * comparison to the person's bindings whose scope covers that path (a device's group, for
 * assigning that device): what the person would gain there is all that matters.
 *
 * Returns every undominated binding with its missing keys; empty means the actor dominates.
 * Cost: bindings of the person × keys of each role × (bindings of the actor + groups of
 * devices assigned apart).
 */
export function dominanceGaps(actorBindings: readonly Binding[], person: DominatedPerson, within?: readonly string[]): DominanceGap[] {
  const gaps: DominanceGap[] = [];
  for (const binding of person.bindings) {
    if (within && !within.includes(binding.groupId)) continue;
    const missing = new Set(escalationGaps(actorBindings, binding.role, { path: binding.path }));
    if (binding.role.deviceVisibility === 'assigned')
      for (const devicePath of person.devicesAssignedApart)
        if (devicePath.includes(binding.groupId))
          for (const key of unassignedDeviceGaps(actorBindings, binding.role.permissions, devicePath)) missing.add(key);
    if (missing.size > 0) gaps.push({ groupId: binding.groupId, roleName: binding.role.name, missing: [...missing] });
  }
  return gaps;
}

/** Whether the actor dominates the person (R7): no gap anywhere. */
export function dominates(actorBindings: readonly Binding[], person: DominatedPerson, within?: readonly string[]): boolean {
  return dominanceGaps(actorBindings, person, within).length === 0;
}
