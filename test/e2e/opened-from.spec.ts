import type { Page } from '@playwright/test';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { api, memberRow } from './team-steps';
import { companyWithOwner, memberByApi, rootGroupId } from './world-steps';

const ROOT = OWNER.organization;

async function openGroup(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
  await page
    .getByRole('tree', { name: 'Customer groups' })
    .getByRole('treeitem', { name: new RegExp(`^\\w+ ${name} ,`) })
    .click();
  await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
}

test('issue 15, findings 3 and 15: a group’s counts say what they count and open its lists; every picker opened from there starts at that group', async ({
  page,
  browser,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const acme = await companyWithOwner(page, browser, await rootGroupId(page), 'Acme', 'olga');
  const { id: office } = await api<{ id: string }>(page, 'groups.create', { parentId: acme, kind: 'location', name: 'Acme Office' });
  await memberByApi(page, { username: 'ana', fullName: 'Ana Analyst', homeGroupId: office, roleId: 'builtin-viewer' });
  const devices = ['a-1,Acme', 'a-2,Acme', `o-1,${office}`, `o-2,${office}`, `o-3,${office}`];
  await api(page, 'devices.import', {
    format: 'csv',
    mode: 'all-or-nothing',
    content: ['name,kind,os,status,lastBackupAt,group', ...devices.map((d) => d.replace(',', ',server,Ubuntu 22.04,ok,,'))].join('\r\n'),
  });

  await page.reload();
  // Finding 15: the header says which count includes the groups inside, and agrees with the tree.
  await openGroup(page, 'Acme');
  const counts = page.getByTestId('group-counts');
  await expect(counts).toHaveText(
    '1 group directly inside · 1 person homed here, 2 with the groups inside · 2 devices here, 5 with the groups inside · Roles for Acme',
  );
  const acmeItem = page.getByRole('tree', { name: 'Customer groups' }).getByRole('treeitem', { name: /^Customer Acme ,/ });
  await expect(acmeItem.locator('.count').nth(1)).toHaveAttribute('title', '5 devices here and in the groups inside');
  await expect(page.getByTestId('tree-legend')).toContainText('with the groups inside');

  // Finding 3: the devices the count names, and the import dialog opened there puts rows without a group in Acme.
  await counts.getByRole('link', { name: '5 with the groups inside' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await expect(page.getByTestId('device-group-filter')).toHaveText('Acme✕');
  await expect(page.getByTestId('devices-count')).toHaveText('5 devices match');
  await page.getByRole('button', { name: 'Import devices…' }).click();
  const importing = page.getByRole('dialog', { name: 'Import devices' });
  await expect(importing.getByTestId('import-default-group')).toHaveText('go to Acme.');
  await importing.getByRole('button', { name: 'Cancel' }).click();

  // The people the count names; Invite and Create user start at Acme.
  await openGroup(page, 'Acme');
  await counts.getByRole('link', { name: '2 with the groups inside' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  await expect(page.getByTestId('member-group-filter')).toHaveText('Acme✕');
  await expect(page.getByTestId('members-range')).toHaveText('1–2 of 2 members');
  await page.getByRole('button', { name: 'Invite member…' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite member' });
  await expect(invite.getByTestId('scope-text')).toHaveText(`Whole subtree of ${ROOT} › Acme, including future groups.`);
  await invite.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Create user…' }).click();
  const create = page.getByRole('dialog', { name: 'Create user' });
  await expect(create.getByText(`Chosen: ${ROOT} › Acme`, { exact: true }).first()).toBeVisible();
  await expect(create.getByTestId('scope-text')).toHaveText(`Whole subtree of ${ROOT} › Acme, including future groups.`);
  await create.getByRole('button', { name: 'Cancel' }).click();

  // From a member's page, the member's own group.
  await memberRow(page, 'ana').getByRole('button', { name: 'ana', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Ana Analyst' })).toBeVisible();
  await page.getByRole('button', { name: 'Invite member…' }).click();
  await expect(invite.getByTestId('scope-text')).toHaveText(`Whole subtree of ${ROOT} › Acme › Acme Office, including future groups.`);
  await invite.getByRole('button', { name: 'Cancel' }).click();

  // New role opened from Acme's page belongs to Acme.
  await openGroup(page, 'Acme');
  await counts.getByRole('link', { name: 'Roles for Acme' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();
  await page.getByRole('button', { name: 'New role…', exact: true }).click();
  const role = page.getByRole('dialog', { name: 'New role' });
  await expect(role.getByText(`Chosen: ${ROOT} › Acme`, { exact: true })).toBeVisible();
});
