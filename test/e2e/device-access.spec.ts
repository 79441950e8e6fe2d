import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { devicesTable, openDevices } from './devices-steps';
import { api } from './team-steps';
import { companyWithOwner, memberByApi, rootGroupId } from './world-steps';

test('issue 15, finding 2: the device panel names who sees a device, and Access › Who can names the same people', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const acme = await companyWithOwner(page, browser, await rootGroupId(page), 'Acme', 'olga');
  // A custom role at the customer that sees every device there, and an Operator who sees only devices assigned to them.
  const { id: helpdesk } = await api<{ id: string }>(page, 'roles.create', {
    ownerGroupId: acme,
    name: 'Helpdesk',
    description: 'Looks after every device of the company.',
    deviceVisibility: 'scope',
    permissions: ['groups.view', 'devices.view'],
  });
  await memberByApi(page, { username: 'hana', fullName: 'Hana Helpdesk', homeGroupId: acme, roleId: helpdesk });
  await memberByApi(page, { username: 'otto', fullName: 'Otto Operator', homeGroupId: acme, roleId: 'builtin-operator' });
  await api(page, 'devices.import', {
    format: 'csv',
    mode: 'all-or-nothing',
    content: 'name,kind,os,status,lastBackupAt,group\r\nacme-laptop,workstation,Windows 11,ok,,Acme\r\n',
  });

  await openDevices(page);
  await devicesTable(page).getByRole('button', { name: 'acme-laptop' }).click();
  const panel = page.getByRole('complementary', { name: 'acme-laptop' });
  // Nobody holds it, yet it is seen: by the Owners above and at the customer, and by the custom role there; not by the Operator.
  await expect(panel.getByRole('list', { name: 'Assignees' })).toHaveCount(0);
  const seenBy = panel.getByRole('list', { name: 'People who see this device' }).getByRole('listitem');
  await expect(seenBy).toHaveCount(3);
  const panelNames = (await seenBy.allTextContents()).map((t) => t.replace(/ \(.*$/, '').trim());
  expect(panelNames.sort()).toEqual(['Hana Helpdesk', 'olga Owner', OWNER.fullName].sort());
  await expect(seenBy.filter({ hasText: 'Hana Helpdesk' })).toContainText('Helpdesk at Acme');

  await panel.getByRole('link', { name: 'Who can access this' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Access' })).toBeVisible();
  const whoCan = page.getByRole('table', { name: 'Who can' });
  await expect(whoCan.getByRole('row')).toHaveCount(4);
  const accessNames = await whoCan.getByRole('rowheader').allTextContents();
  expect(accessNames.sort()).toEqual(panelNames.sort());

  // Assigning the Operator adds them to both, from the one answer.
  await page.goBack();
  await panel.getByRole('button', { name: 'Add a member…' }).click();
  await panel.getByRole('combobox', { name: 'Add a member' }).fill('otto');
  await panel.getByRole('option', { name: /Otto Operator/ }).click();
  await expect(seenBy).toHaveCount(4);
  await expect(seenBy.filter({ hasText: 'Otto Operator' })).toContainText('Operator at Acme');
});
