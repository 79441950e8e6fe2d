import { create } from 'zustand';
import type { RoleSummary, UserDetail } from '../../../shared/contract';
import { invoke } from '../api/client';
import { useSession } from './session';

interface MeState {
  me: UserDetail | null;
  error: string | null;
  load(): Promise<void>;
}

let latest = 0;

/**
 * The signed-in user's own record: their home group (the default place for new people),
 * whether they own a company (ownership transfer) and their notification preferences.
 */
export const useMe = create<MeState>()((set) => ({
  me: null,
  error: null,
  async load() {
    const id = useSession.getState().user?.id;
    if (!id) return;
    const ticket = ++latest;
    const result = await invoke('users.get', { id });
    if (ticket !== latest) return;
    if (result.ok) set({ me: result.value, error: null });
    else set({ error: result.error.message });
  },
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  latest++;
  useMe.setState({ me: null, error: null });
});

/** The company whose Owner this user is, or null: the Owner role is held at the company group itself. */
export function ownedCompanyId(user: Pick<UserDetail, 'bindings' | 'isOwner'> | null, roles: readonly RoleSummary[] | null): string | null {
  if (!user?.isOwner || !roles) return null;
  const ownerRoleIds = new Set(roles.filter((r) => r.meaning === 'owner').map((r) => r.id));
  return user.bindings.find((b) => ownerRoleIds.has(b.roleId))?.groupId ?? null;
}
