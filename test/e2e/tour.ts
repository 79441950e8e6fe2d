import type { Browser, Locator, Page } from '@playwright/test';
import { expect } from './console';
import { fleet, fleetCsv } from './devices-steps';
import { OWNER, setUpOwner } from './owner';
import { acceptOwnerInvitation, api, firstSignIn } from './team-steps';

/**
 * An installation with something on every screen: a distributor, reseller, customer and
 * location under the root, 30 devices at the customer, its Owner (who accepted the Owner
 * invitation), an enrolled Operator there holding some of them through a bulk job, and a
 * pending invitation. Set up through the API: the screens
 * are what the tour looks at, not how they were filled.
 */
export interface Installation {
  rootId: string;
  customerId: string;
  operatorRoleId: string;
  /** A custom role the provider owns: the matrix dims the modules that apply only at end customers. */
  helpdeskRoleId: string;
  memberId: string;
  deviceId: string;
  jobId: string;
  auditSeq: number;
}

export const CUSTOMER = 'Tailspin Toys';
export const MEMBER = { username: 'otto', email: 'otto@tailspin.test', fullName: 'Otto Operator' };
export const INVITED = 'ivy@tailspin.test';

export async function prepareInstallation(page: Page, url: string, browser: Browser): Promise<Installation> {
  await setUpOwner(page, url);
  const { groups } = await api<{ groups: Array<{ id: string; parentId: string | null }> }>(page, 'groups.tree', {});
  const rootId = groups.find((g) => g.parentId === null)?.id ?? '';
  const add = async (parentId: string, kind: string, name: string, owner?: { email: string }) =>
    api<{ id: string; ownerInvitation?: { link?: string } }>(page, 'groups.create', { parentId, kind, name, owner });
  const { id: distributorId } = await add(rootId, 'distributor', 'Contoso Distribution');
  const { id: resellerId } = await add(distributorId, 'reseller', 'Fabrikam Resellers');
  const customer = await add(resellerId, 'customer', CUSTOMER, { email: 'cora@tailspin.test' });
  const customerId = customer.id;
  await add(customerId, 'location', 'Harbour Office');
  await acceptOwnerInvitation(browser, customer.ownerInvitation?.link ?? '', 'cora');

  await api(page, 'devices.import', { format: 'csv', content: fleetCsv(fleet(30), CUSTOMER), mode: 'all-or-nothing' });
  const { rows } = await api<{ rows: Array<{ id: string }> }>(page, 'devices.list', {});
  const deviceId = rows[0]?.id ?? '';

  const { roles } = await api<{ roles: Array<{ id: string; name: string }> }>(page, 'roles.list', {});
  const roleId = (name: string) => roles.find((r) => r.name === name)?.id ?? '';
  const operatorRoleId = roleId('Operator');
  const { id: memberId, password } = await api<{ id: string; password: string }>(page, 'users.create', {
    ...MEMBER,
    homeGroupId: customerId,
    bindings: [{ roleId: operatorRoleId, groupId: customerId }],
  });
  const member = await firstSignIn(browser, url, MEMBER.username, password);
  await member.page.context().close();
  const { id: helpdeskRoleId } = await api<{ id: string }>(page, 'roles.create', {
    ownerGroupId: rootId,
    name: 'Helpdesk',
    deviceVisibility: 'scope',
    permissions: ['devices.view', 'users.view'],
  });
  await api(page, 'invitations.create', { email: INVITED, roleId: roleId('Viewer'), groupId: customerId });
  const job = await api<{ id: string }>(page, 'devices.bulkAssign', {
    selection: { filter: { kinds: ['server'] } },
    userIds: [memberId],
    action: 'assign',
  });
  const { events } = await api<{ events: Array<{ seq: number }> }>(page, 'audit.list', { limit: 1 });
  // The console read the groups before the API added these: a reload reads them afresh.
  await page.reload();
  return { rootId, customerId, operatorRoleId, helpdeskRoleId, memberId, deviceId, jobId: job.id, auditSeq: events[0]?.seq ?? 1 };
}

/** A place in the signed-in console: its address, and what shows once it has drawn. */
export interface Stop {
  name: string;
  /** The hash route, `/devices/…`. */
  path: string;
  /** Shows once the place has its data (not only its frame). */
  ready: (page: Page) => Locator;
  /** A tab of the place to choose after it opens (the group tabs have no address of their own). */
  tab?: { list: string; name: string };
  /** What to do once it has drawn, to show all of it (expand every area of a matrix). */
  then?: (page: Page) => Promise<void>;
  /** The actions the place is for; each must be on screen and reachable at 1024x700. */
  actions?: (page: Page) => Locator[];
}

const h1 = (name: string) => (page: Page) => page.getByRole('heading', { level: 1, name, exact: true });
const h2 = (name: string) => (page: Page) => page.getByRole('heading', { level: 2, name, exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

const GROUP_TABS = ['Profile', 'Contacts', 'Activities', 'Branding', 'Modules', 'SSO', 'Departments'];

/** Every screen and every kind of object page, and every tab of a group (the console's routes, renderer/src/routes/router.tsx). */
export function stops(at: Installation): Stop[] {
  const groupActions = (page: Page) => [button(page, 'Add group…'), button(page, 'Move…'), button(page, 'Remove…')];
  return [
    ...GROUP_TABS.map((tab) => ({
      name: `customers-${CUSTOMER}-${tab}`,
      path: `/customers/${at.customerId}`,
      ready: h2(CUSTOMER),
      tab: { list: `About ${CUSTOMER}`, name: tab },
      actions: groupActions,
    })),
    {
      name: 'customers-root',
      path: `/customers/${at.rootId}`,
      ready: h2(OWNER.organization),
      actions: (page) => [button(page, 'Add group…')],
    },
    {
      name: 'team-members',
      path: '/team',
      ready: (page) => page.getByRole('table', { name: 'Members' }).getByRole('button', { name: MEMBER.username, exact: true }),
      actions: (page) => [button(page, 'Invite member…'), button(page, 'Create user…')],
    },
    {
      name: 'team-invitations',
      path: '/team/invitations',
      ready: (page) => page.getByRole('table', { name: 'Invitations' }).getByText(INVITED),
      actions: (page) => [button(page, 'Invite member…')],
    },
    {
      name: 'team-person',
      path: `/team/people/${at.memberId}`,
      ready: h2(MEMBER.fullName),
      actions: (page) => [button(page, '‹ Back to members')],
    },
    {
      name: 'devices',
      path: '/devices',
      ready: (page) => page.getByRole('table', { name: 'Devices' }).getByRole('button', { name: 'dev-0001' }),
      actions: (page) => [page.getByRole('button', { name: 'Import devices…' }).first()],
    },
    {
      name: 'devices-device',
      path: `/devices/${at.deviceId}`,
      ready: h2('dev-0001'),
      actions: (page) => [button(page, 'Close the device panel')],
    },
    { name: 'devices-job', path: `/devices/jobs/${at.jobId}`, ready: (page) => page.getByRole('dialog', { name: 'Bulk job' }) },
    { name: 'roles', path: '/roles', ready: h1('Roles'), actions: (page) => [button(page, 'New role…')] },
    { name: 'roles-role', path: `/roles/${at.operatorRoleId}`, ready: h2('Operator'), actions: (page) => [button(page, 'New role…')] },
    {
      name: 'roles-custom-role',
      path: `/roles/${at.helpdeskRoleId}`,
      ready: h2('Helpdesk'),
      actions: (page) => [button(page, 'New role…')],
    },
    { name: 'access', path: '/access', ready: h1('Access') },
    { name: 'access-who-can', path: `/access?who=device:${at.deviceId}`, ready: (page) => page.getByRole('heading', { name: 'Who can' }) },
    { name: 'hygiene', path: '/hygiene', ready: h1('Access hygiene') },
    { name: 'audit', path: '/audit', ready: (page) => page.getByRole('table', { name: 'Audit events' }).locator('tr.audit-row').first() },
    { name: 'audit-event', path: `/audit/events/${at.auditSeq}`, ready: (page) => page.locator('#audit-event-title') },
    { name: 'settings', path: '/settings', ready: h1('Settings') },
    { name: 'profile', path: '/profile', ready: h1('Profile') },
    { name: 'not-found', path: '/no-such-screen', ready: h1('Nothing at this address') },
  ];
}

/** Opens a stop by its address, as a link or a reload would, and waits until it has drawn (and its tab is chosen). */
export async function visit(page: Page, url: string, stop: Stop): Promise<void> {
  await page.goto(`${url}#${stop.path}`);
  await expect(stop.ready(page)).toBeVisible();
  if (stop.tab) {
    const tab = page.getByRole('tablist', { name: stop.tab.list }).getByRole('tab', { name: stop.tab.name, exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }
  await stop.then?.(page);
  await expect(page.getByText(/^Loading/)).toHaveCount(0);
}
