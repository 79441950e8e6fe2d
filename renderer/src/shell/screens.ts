import type { ComponentType } from 'react';
import { AccessScreen } from '../access/AccessScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { CustomersScreen } from '../groups/CustomersScreen';
import { HygieneScreen } from '../hygiene/HygieneScreen';
import { ProfileScreen } from '../profile/ProfileScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TeamScreen } from '../team/TeamScreen';

export interface ScreenEntry {
  id: string;
  label: string;
  component: ComponentType;
}

/** The navigation lists exactly these: a screen is added here when it is built, not before. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: 'customers', label: 'Customers', component: CustomersScreen },
  { id: 'team', label: 'Team', component: TeamScreen },
  { id: 'access', label: 'Access', component: AccessScreen },
  { id: 'hygiene', label: 'Hygiene', component: HygieneScreen },
  { id: 'audit', label: 'Audit', component: AuditScreen },
  { id: 'settings', label: 'Settings', component: SettingsScreen },
  { id: 'profile', label: 'Profile', component: ProfileScreen },
];
