import type { ComponentType } from 'react';
import { AccessScreen } from '../access/AccessScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { CustomersScreen } from '../groups/CustomersScreen';
import { DevicesScreen } from '../devices/DevicesScreen';
import { HygieneScreen } from '../hygiene/HygieneScreen';
import { ProfileScreen } from '../profile/ProfileScreen';
import { RolesScreen } from '../roles/RolesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TeamScreen } from '../team/TeamScreen';

export interface ScreenEntry {
  id: string;
  label: string;
  component: ComponentType;
  /** The permission a person must hold somewhere to see this screen in the navigation; the server refuses the calls anyway. */
  requires?: string;
}

/** The navigation lists exactly these: a screen is added here when it is built, not before. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: 'customers', label: 'Customers', component: CustomersScreen, requires: 'groups.view' },
  { id: 'team', label: 'Team', component: TeamScreen, requires: 'users.view' },
  { id: 'devices', label: 'Devices', component: DevicesScreen, requires: 'devices.view' },
  { id: 'roles', label: 'Roles', component: RolesScreen, requires: 'roles.view' },
  { id: 'access', label: 'Access', component: AccessScreen, requires: 'groups.view' },
  { id: 'hygiene', label: 'Hygiene', component: HygieneScreen, requires: 'users.view' },
  { id: 'audit', label: 'Audit', component: AuditScreen, requires: 'audit.view' },
  { id: 'settings', label: 'Settings', component: SettingsScreen, requires: 'settings.view' },
  { id: 'profile', label: 'Profile', component: ProfileScreen },
];
