import { expect, test } from './console';
import { devicesTable, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';
import { api, firstSignIn } from './team-steps';
import { companyWithOwner, memberByApi, rootGroupId } from './world-steps';

/** Groups above the customer, which its people must never be shown. */
const ABOVE = [OWNER.organization, 'Contoso Distribution', 'Fabrikam Resellers'];

test('issue 15, finding 4: a customer’s Operator is never shown a group above the customer, and nothing they can click leads to “no longer exists”', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const contoso = await companyWithOwner(page, browser, await rootGroupId(page), 'Contoso Distribution', 'cora', 'distributor');
  const fabrikam = await companyWithOwner(page, browser, contoso, 'Fabrikam Resellers', 'fred', 'reseller');
  const acme = await companyWithOwner(page, browser, fabrikam, 'Acme', 'olga');
  const { id: office } = await api<{ id: string }>(page, 'groups.create', { parentId: acme, kind: 'location', name: 'Acme Office' });
  const { id: otto, password } = await memberByApi(page, {
    username: 'otto',
    fullName: 'Otto Operator',
    homeGroupId: acme,
    roleId: 'builtin-operator',
  });
  await api(page, 'devices.import', {
    format: 'csv',
    mode: 'all-or-nothing',
    content: `name,kind,os,status,lastBackupAt,group\r\noffice-pc,workstation,Windows 11,ok,,${office}\r\n`,
  });
  const { rows } = await api<{ rows: Array<{ id: string }> }>(page, 'devices.list', {});
  await api(page, 'devices.assign', { deviceIds: rows.map((r) => r.id), userIds: [otto] });

  const { page: operator } = await firstSignIn(browser, steward.url, 'otto', password);
  // The header names the customer, not the provider.
  await expect(operator.getByTestId('root-group')).toHaveText('Acme');

  await operator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
  const tree = operator.getByRole('tree', { name: 'Customer groups' });
  await tree.getByRole('treeitem', { name: /Acme Office/ }).click();
  const crumbs = operator.getByRole('navigation', { name: 'Group path' });
  await expect(crumbs).toHaveText('AcmeAcme Office');
  await crumbs.getByRole('button', { name: 'Acme', exact: true }).click();
  await expect(operator.getByRole('heading', { level: 2, name: 'Acme', exact: true })).toBeVisible();
  await expect(operator.getByText('This group no longer exists')).toHaveCount(0);

  // The device panel's group, too, starts at the customer.
  await openDevices(operator);
  await devicesTable(operator).getByRole('button', { name: 'office-pc' }).click();
  const panel = operator.getByRole('complementary', { name: 'office-pc' });
  await expect(panel.locator('dd').filter({ hasText: 'Acme Office' })).toHaveText('Acme › Acme Office');

  for (const name of ABOVE) {
    await expect(operator.locator('body')).not.toContainText(name);
  }
  await operator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(tree.getByRole('treeitem', { name: /Acme Office/ })).toBeVisible();
  for (const name of ABOVE) await expect(operator.locator('body')).not.toContainText(name);
});
