import type { Page } from '@playwright/test';
import { expect, test } from './console';
import { auditRows, openNavScreen, settledCount } from './audit-steps';
import { chooseFacet, expectDeviceCount, fleet, fleetCsv, importFleet, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';

async function saveFilters(page: Page, name: string) {
  await page.getByRole('button', { name: /^Saved filters/ }).click();
  const panel = page.getByRole('region', { name: 'Saved filters' });
  await panel.getByLabel('Save the filters shown as').fill(name);
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(panel.getByRole('status')).toHaveText(`Saved as “${name}”.`);
  await page.keyboard.press('Escape');
}

async function applySaved(page: Page, name: string) {
  await page.getByRole('button', { name: /^Saved filters/ }).click();
  await page.getByRole('list', { name: 'Your saved filters' }).getByRole('button', { name, exact: true }).click();
}

test('issue 15, finding 8: audit periods of the last hour, 24 hours and 7 days with times and the time zone; saved filters on Devices and Audit', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  await openDevices(page);
  await importFleet(page, 'fleet.csv', fleetCsv(fleet(30), OWNER.organization), 30);

  // Devices: save a filter, clear it, and get it back, also after a reload (it is stored, not remembered by the page).
  await chooseFacet(page, 'OS', ['Windows 11']);
  await chooseFacet(page, 'Status', ['Failed']);
  await expectDeviceCount(page, 2);
  await saveFilters(page, 'Failed Windows');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectDeviceCount(page, 30);
  await page.reload();
  await openDevices(page);
  await applySaved(page, 'Failed Windows');
  await expectDeviceCount(page, 2);
  await expect(page.getByRole('button', { name: /^OS / })).toHaveAccessibleName('OS Windows 11');

  // Audit: the presets count back from now, and say from when to when, in which time zone.
  await openNavScreen(page, 'Audit');
  const period = page.getByLabel('Period');
  const labels = await period.locator('option').allTextContents();
  expect(labels).toEqual(['Any time', 'Last hour', 'Last 24 hours', 'Last 7 days', 'Between two times…']);
  await period.selectOption({ label: 'Last hour' });
  await expect(period).toHaveAccessibleDescription(/^From .+, \d{1,2}:\d{2}.* to .+, \d{1,2}:\d{2}.*, in \S+ \(UTC[+-]\d{2}:\d{2}\)\./);
  await expect(page.getByRole('columnheader', { name: /^Time \(\S+ \(UTC[+-]\d{2}:\d{2}\)\)/ })).toBeVisible();
  await settledCount(page);
  await expect(auditRows(page).first()).toBeVisible();
  // Between two times takes times, not only dates.
  await period.selectOption({ label: 'Between two times…' });
  await expect(page.getByLabel('From')).toHaveAttribute('type', 'datetime-local');
  await expect(page.getByLabel('From')).toHaveValue(/T00:00$/);
  await period.selectOption({ label: 'Last 24 hours' });
  await page.getByLabel('Outcome').selectOption({ label: 'Succeeded' });
  await saveFilters(page, 'Today’s successes');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(period).toHaveValue('any');
  await applySaved(page, 'Today’s successes');
  await expect(period).toHaveValue('day');
  await expect(page.getByLabel('Outcome')).toHaveValue('success');

  // Saved filters are kept per screen: the Devices list shows only its own.
  await openDevices(page);
  await page.getByRole('button', { name: /^Saved filters/ }).click();
  await expect(page.getByRole('list', { name: 'Your saved filters' }).getByRole('listitem')).toHaveCount(1);
});
