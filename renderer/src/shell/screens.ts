import type { ComponentType } from 'react';
import { AccessScreen } from '../access/AccessScreen';
import { CustomersScreen } from '../groups/CustomersScreen';
import { AccountScreen } from '../screens/AccountScreen';

export interface ScreenEntry {
  id: string;
  label: string;
  component: ComponentType;
}

/** The navigation lists exactly these: a screen is added here when it is built, not before. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: 'customers', label: 'Customers', component: CustomersScreen },
  { id: 'access', label: 'Access', component: AccessScreen },
  { id: 'account', label: 'Account', component: AccountScreen },
];
