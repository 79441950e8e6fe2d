import { createHashRouter, type RouteObject } from 'react-router';
import { App } from '../App';
import { AccessScreen } from '../access/AccessScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { CustomersScreen } from '../groups/CustomersScreen';
import { DevicesScreen } from '../devices/DevicesScreen';
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
      { path: 'customers/:groupId?', Component: CustomersScreen },
      { path: 'team', Component: TeamScreen },
      { path: 'team/invitations', Component: TeamScreen },
      { path: 'team/people/:userId/:tab?', Component: TeamScreen },
      { path: 'devices', Component: DevicesScreen },
      { path: 'devices/:deviceId', Component: DevicesScreen },
      { path: 'devices/jobs/:jobId', Component: DevicesScreen },
      { path: 'roles/:roleId?', Component: RolesScreen },
      { path: 'access', Component: AccessScreen },
      { path: 'hygiene', Component: HygieneScreen },
      { path: 'audit', Component: AuditScreen },
      { path: 'audit/events/:seq', Component: AuditScreen },
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
