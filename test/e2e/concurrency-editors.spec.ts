import type { Page } from '@playwright/test';
import { expect, test } from './console';
import { OWNER, setUpOwner } from './owner';
import { openScreen } from './team-steps';

async function openRootGroup(page: Page) {
  await openScreen(page, 'Customers');
  await page
    .getByRole('tree', { name: 'Customer groups' })
    .getByRole('treeitem', { name: new RegExp(`\\b${OWNER.organization}\\b`) })
    .click();
  await expect(page.getByLabel('Address')).toBeVisible();
}

test('settings and a group profile saved from a stale copy are refused naming what changed since; the edits stay until reloaded', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  const other = await page.context().newPage();
  await other.goto(steward.url);

  // Settings: both tabs load version 1; the first changes the idle lock.
  await openScreen(page, 'Settings');
  await openScreen(other, 'Settings');
  await page.getByLabel('Lock after idle minutes').fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

  await other.getByLabel('Invitation expiry hours').fill('48');
  await other.getByRole('button', { name: 'Save settings' }).click();
  const staleSettings = other.getByTestId('stale-copy');
  await expect(staleSettings).toContainText('The settings changed since version 1');
  await expect(staleSettings).toContainText('changed the idle timeout');
  await expect(other.getByLabel('Invitation expiry hours')).toHaveValue('48');
  await expect(other.getByLabel('Lock after idle minutes')).toHaveValue('15');
  await staleSettings.getByRole('button', { name: 'Reload the current settings' }).click();
  await expect(other.getByLabel('Lock after idle minutes')).toHaveValue('30');
  await expect(other.getByLabel('Invitation expiry hours')).toHaveValue('24');
  await expect(other.getByTestId('stale-copy')).toBeHidden();

  // Group profile: both tabs show the root group; the first saves an address.
  await openRootGroup(page);
  await openRootGroup(other);
  await page.getByLabel('Address').fill('1 Main St');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved.' })).toBeVisible();

  await other.getByLabel('Service type').fill('Cloud backup');
  await other.getByRole('button', { name: 'Save profile' }).click();
  const staleGroup = other.getByTestId('stale-copy');
  await expect(staleGroup).toContainText(`“${OWNER.organization}” changed since version 1`);
  await expect(staleGroup).toContainText('changed the profile');
  await expect(other.getByLabel('Service type')).toHaveValue('Cloud backup');
  await expect(other.getByLabel('Address')).toHaveValue('');
  await staleGroup.getByRole('button', { name: 'Reload the current group' }).click();
  await expect(other.getByLabel('Address')).toHaveValue('1 Main St');
  await expect(other.getByLabel('Service type')).toHaveValue('');
});
