import type { Binding } from './decide';
import { escalationGaps } from './escalation';

/** One of the person's bindings, with the path of its group (itself first, root last). */
export interface PlacedBinding extends Binding {
  path: readonly string[];
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
 * seen as widely (R5's visibility clause). `within`, when given, limits the comparison to
 * the person's bindings whose scope covers that path (a device's group, for assigning that
 * device): what the person would gain there is all that matters.
 *
 * Returns every undominated binding with its missing keys; empty means the actor dominates.
 * Cost: bindings of the person × keys of each role × bindings of the actor.
 */
export function dominanceGaps(
  actorBindings: readonly Binding[],
  personBindings: readonly PlacedBinding[],
  within?: readonly string[],
): DominanceGap[] {
  const gaps: DominanceGap[] = [];
  for (const binding of personBindings) {
    if (within && !within.includes(binding.groupId)) continue;
    const missing = escalationGaps(actorBindings, binding.role, { path: binding.path });
    if (missing.length > 0) gaps.push({ groupId: binding.groupId, roleName: binding.role.name, missing });
  }
  return gaps;
}

/** Whether the actor dominates the person (R7): no gap anywhere. */
export function dominates(
  actorBindings: readonly Binding[],
  personBindings: readonly PlacedBinding[],
  within?: readonly string[],
): boolean {
  return dominanceGaps(actorBindings, personBindings, within).length === 0;
}
