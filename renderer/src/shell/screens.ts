import { holdsAnywhere } from '../state/missing-permission';
import { useMyAccess } from '../state/my-access';
import type { ScreenId } from '../routes/paths';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** The permission a person must hold somewhere to see this screen in the navigation; the server refuses the calls anyway. */
  requires?: string;
}

/** The navigation lists exactly these (routes/router.tsx maps their addresses to components). */
export const SCREENS: readonly ScreenEntry[] = [
  // First: the console opens on it for everyone who holds dashboard.view (issue 18).
  { id: 'dashboard', label: 'Dashboard', requires: 'dashboard.view' },
  { id: 'customers', label: 'Customers', requires: 'groups.view' },
  { id: 'team', label: 'Team', requires: 'users.view' },
  { id: 'devices', label: 'Devices', requires: 'devices.view' },
  { id: 'roles', label: 'Roles', requires: 'roles.view' },
  { id: 'access', label: 'Access', requires: 'groups.view' },
  { id: 'hygiene', label: 'Hygiene', requires: 'users.view' },
  { id: 'audit', label: 'Audit', requires: 'audit.view' },
  { id: 'settings', label: 'Settings', requires: 'settings.view' },
  { id: 'profile', label: 'Profile' },
];

/**
 * The screens offered to the signed-in person, or null while their access is being read.
 * A screen whose permission they hold nowhere is not offered; if their access cannot be
 * read, every screen is (the server still refuses).
 */
export function useScreens(): readonly ScreenEntry[] | null {
  const access = useMyAccess((s) => s.access);
  const accessError = useMyAccess((s) => s.error);
  if (access === null && accessError === null) return null;
  return SCREENS.filter((s) => !s.requires || !access || holdsAnywhere(access, s.requires));
}
