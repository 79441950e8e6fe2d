import type { Binding } from './decide';

export interface GrantScope {
  /** The scope group's path, itself first, root last. */
  path: readonly string[];
}

export interface Grant {
  permissions: Iterable<string>;
  /** What the granted role lets its holder see of devices. */
  deviceVisibility: 'scope' | 'assigned';
}

/**
 * R5, one function for every path that grants access: the actor must hold
 * every permission involved at the affected scope. Module availability is deliberately
 * not applied: a key unavailable at a reseller is still handed down to its customers, so
 * the actor must hold it too. A role that sees every device may only be handed out by
 * someone whose own grant of its keys sees every device: every key of a role applies to the
 * devices its holder sees (`decide`), so an actor holding a key only on devices assigned to
 * them holds it on fewer devices than the grant would. Returns the keys the actor lacks
 * (empty when the grant is allowed).
 */
export function escalationGaps(actorBindings: readonly Binding[], grant: Grant, scope: GrantScope): string[] {
  const onPath = actorBindings.filter((b) => scope.path.includes(b.groupId));
  const gaps: string[] = [];
  for (const key of grant.permissions) {
    const holders = onPath.filter((b) => b.role.permissions.has(key));
    if (holders.length === 0) gaps.push(key);
    else if (grant.deviceVisibility === 'scope' && !holders.some((b) => b.role.deviceVisibility === 'scope')) {
      gaps.push(`${key} (for every device, not only assigned ones)`);
    }
  }
  return gaps;
}

/**
 * The keys of `keys` the actor does not hold on a device at `devicePath` that is not
 * assigned to the actor: only a binding on the path whose role sees every device counts.
 */
export function unassignedDeviceGaps(actorBindings: readonly Binding[], keys: Iterable<string>, devicePath: readonly string[]): string[] {
  const seeing = actorBindings.filter((b) => b.role.deviceVisibility === 'scope' && devicePath.includes(b.groupId));
  const gaps: string[] = [];
  for (const key of keys) if (!seeing.some((b) => b.role.permissions.has(key))) gaps.push(`${key} (on devices assigned to them)`);
  return gaps;
}
