import { create } from 'zustand';

interface NavigationState {
  /** The id of the screen shown in the shell (see shell/screens.ts), or null for the first one. */
  screen: string | null;
  go(screen: string | null): void;
}

/** Which screen the shell shows, so that a screen can send the person to another one (hygiene → a member's page). */
export const useNavigation = create<NavigationState>()((set) => ({
  screen: null,
  go: (screen) => set({ screen }),
}));
