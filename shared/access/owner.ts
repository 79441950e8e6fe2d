import type { Binding } from './decide';
import type { PlacedBinding } from './dominance';

/**
 * What a role means beyond its keys (R9). An `owner` role makes its holder the Owner of the
 * company it is bound at; an `admin` role is the Owner's deputy. Role sets that name a
 * "Company Owner" and a "Company Administrator" carry these meanings too.
 */
export type RoleMeaning = 'owner' | 'admin';

/** The person's Owner bindings: their role means `owner` (R9). */
export function ownerBindings<B extends Binding>(bindings: readonly B[]): B[] {
  return bindings.filter((b) => b.role.meaning === 'owner');
}

/**
 * R10: an Owner's account, roles, departments, password and authenticator are changed only
 * by the Owner themselves or by an Owner of a company strictly above theirs; an Admin, even
 * one holding every key, cannot. True when the person is no Owner at all.
 */
export function mayActOnOwner(
  actor: { userId: string; bindings: readonly Binding[] },
  person: { userId: string; bindings: readonly PlacedBinding[] },
): boolean {
  if (actor.userId === person.userId) return true;
  const above = ownerBindings(actor.bindings).map((b) => b.groupId);
  return ownerBindings(person.bindings).every((owned) => above.some((g) => g !== owned.groupId && owned.path.includes(g)));
}
