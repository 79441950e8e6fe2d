import type { TreeModel } from '../state/tree-model';
import { pathLabel } from '../state/tree-model';

/**
 * What a role binding at a group covers, in words. R21: a scope is never
 * left empty to mean "everything"; it always names the group and says it reaches down.
 */
export function scopeText(groupName: string, model: TreeModel | null = null, groupId: string | null = null): string {
  const where = model && groupId && model.nodes.has(groupId) ? pathLabel(model, groupId) : groupName;
  return `whole subtree of ${where}, including future groups`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A role limited to one kind of group (seed 003 locations, seed 004 departments) lists the
 * groups it covers by name; with none chosen it says so rather than implying "everything".
 */
export function scopeListText(kind: 'location' | 'department', names: readonly string[]): string {
  if (names.length === 0) return `no ${kind} chosen yet: choose at least one`;
  return `${names.join(', ')} only (each ${kind} with its whole subtree, including future groups)`;
}
