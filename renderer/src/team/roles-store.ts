import { create } from 'zustand';
import type { RoleSummary } from '../../../shared/contract';
import { invoke } from '../api/client';
import { isWithin, type TreeModel } from '../state/tree-model';
import { onInvalidated } from '../data/invalidate';
import { useSession } from '../state/session';

interface RolesState {
  roles: RoleSummary[] | null;
  error: string | null;
  load(): Promise<void>;
}

let latest = 0;

/** The roles the caller may see, for every role picker on the team screens. */
export const useRoles = create<RolesState>()((set) => ({
  roles: null,
  error: null,
  async load() {
    const ticket = ++latest;
    const result = await invoke('roles.list', {});
    if (ticket !== latest) return;
    if (result.ok) set({ roles: result.value.roles, error: null });
    else set({ error: result.error.message });
  },
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  latest++;
  useRoles.setState({ roles: null, error: null });
});

// Every role picker offers a role created or removed anywhere in the console.
onInvalidated('roles.list', () => {
  if (useRoles.getState().roles) void useRoles.getState().load();
});

export function isOwnerRole(role: Pick<RoleSummary, 'meaning'> | undefined): boolean {
  return role?.meaning === 'owner';
}

/**
 * Roles that may be bound at a group: a custom role is usable only inside the subtree of
 * the group that owns it. The Owner role is never handed out here: it moves only by
 * ownership transfer. Escalation is the server's to judge; it answers with the reason.
 */
export function bindableRoles(roles: readonly RoleSummary[], model: TreeModel | null, groupId: string | null): RoleSummary[] {
  return roles.filter((role) => {
    if (isOwnerRole(role)) return false;
    if (!role.ownerGroupId || !groupId || !model) return true;
    return isWithin(model, groupId, role.ownerGroupId);
  });
}
