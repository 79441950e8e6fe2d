import { createHashRouter, type RouteObject } from 'react-router';
import { App } from '../App';
import { AccessScreen } from '../access/AccessScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { CustomersScreen } from '../groups/CustomersScreen';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { DevicesScreen } from '../devices/DevicesScreen';
import { MemberDevicesSection } from '../devices/MemberDevicesSection';
import { HygieneScreen } from '../hygiene/HygieneScreen';
import { ProfileScreen } from '../profile/ProfileScreen';
import { RolesScreen } from '../roles/RolesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { FirstScreen, NotFound } from '../shell/FirstScreen';
import { TeamScreen } from '../team/TeamScreen';
import { setNavigator } from './navigate';

/**
 * The console's addresses (see paths.ts). The App decides what the signed-out person sees
 * whatever the address, so a deep link opened in a fresh window survives signing in and
 * lands on its object once the shell shows.
 */
export const ROUTES: RouteObject[] = [
  {
    path: '/',
    Component: App,
    children: [
      { index: true, Component: FirstScreen },
      { path: 'invite/:token', element: null },
      { path: 'dashboard', Component: DashboardScreen },
      { path: 'customers/:groupId?', Component: CustomersScreen },
      // A screen and its objects are one route with children, so opening a device or a person keeps the screen
      // mounted (its selection, scroll and focus) instead of drawing it anew.
      // A member's page shows their devices, drawn by the Devices feature: the two meet here, not in each other.
      {
        path: 'team',
        element: <TeamScreen memberDevices={MemberDevicesSection} />,
        children: [{ index: true }, { path: 'invitations' }, { path: 'people/:userId/:tab?' }],
      },
      { path: 'devices', Component: DevicesScreen, children: [{ index: true }, { path: ':deviceId' }, { path: 'jobs/:jobId' }] },
      { path: 'roles/:roleId?', Component: RolesScreen },
      { path: 'access', Component: AccessScreen },
      { path: 'hygiene', Component: HygieneScreen },
      { path: 'audit', Component: AuditScreen, children: [{ index: true }, { path: 'events/:seq' }] },
      { path: 'settings', Component: SettingsScreen },
      { path: 'profile', Component: ProfileScreen },
      { path: '*', Component: NotFound },
    ],
  },
];

export function createConsoleRouter() {
  const router = createHashRouter(ROUTES);
  setNavigator((to, options) => void router.navigate(to, options));
  return router;
}
