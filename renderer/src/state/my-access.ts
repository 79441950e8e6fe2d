import { create } from 'zustand';
import type { MyAccess } from '../../../shared/contract';
import { invoke } from '../api/client';
import { onInvalidated } from '../data/invalidate';
import { useSession } from './session';

interface MyAccessState {
  access: MyAccess | null;
  error: string | null;
  load(): Promise<void>;
}

let latest = 0;

/**
 * What the signed-in person holds (access.mine), to grey out controls and hide screens they
 * cannot use. Loaded again whenever the shell changes screen, so a role edited elsewhere
 * shows on the next screen; the server decides every call regardless.
 */
export const useMyAccess = create<MyAccessState>()((set) => ({
  access: null,
  error: null,
  async load() {
    const ticket = ++latest;
    const result = await invoke('access.mine', {});
    if (ticket !== latest) return;
    if (result.ok) set({ access: result.value, error: null });
    else set({ error: result.error.message });
  },
}));

useSession.subscribe((state, previous) => {
  if (state.user?.id === previous.user?.id) return;
  latest++;
  useMyAccess.setState({ access: null, error: null });
});

// A role or binding changed by a command here is greyed out or offered at once, not on the next screen.
onInvalidated('access.mine', () => {
  if (useMyAccess.getState().access) void useMyAccess.getState().load();
});
