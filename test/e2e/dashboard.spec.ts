import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { asPage } from './api-steps';
import { expect, test } from './console';
import { deviceCount, devicesTable, fleet, fleetCsv } from './devices-steps';
import { OWNER, setUpOwner } from './owner';

/** Serious and critical accessibility problems axe finds on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

test('dashboard: the landing page, figures that open their filtered lists, a chart with its table and exports, the device timeline, axe clean', async ({
  page,
  steward,
}) => {
  await setUpOwner(page, steward.url);
  // The console opens on the Dashboard for whoever holds dashboard.view.
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page).toHaveURL(/#\/dashboard$/);

  // 30 devices, 6 of each status; every backup time is in January 2026, so over 7 days ago, or never.
  await asPage(page, 'devices.import', { format: 'csv', mode: 'all-or-nothing', content: fleetCsv(fleet(30), OWNER.organization) });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('tile-devices-total')).toHaveText('30 devices');
  await expect(page.getByTestId('tile-status-failed')).toHaveText('6Failed');
  await expect(page.getByTestId('tile-backup-older')).toHaveText('24Over 7 days ago');
  await expect(page.getByTestId('tile-backup-never')).toHaveText('6Never backed up');

  // The chart: a readout that follows the keyboard, and its table alternative.
  const chart = page.getByTestId('status-chart');
  await expect(chart).toHaveAttribute('aria-label', /Device status per day in Northwind Backup/);
  await chart.focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('chart-readout')).toHaveText('Now: 6 OK, 6 Warning, 6 Failed, 6 Offline, 6 Never backed up');
  await page.getByRole('button', { name: 'Show as a table' }).click();
  const table = page.getByRole('table', { name: /Devices by status in Northwind Backup, per day/ });
  await expect(table.getByRole('row', { name: /Now/ })).toHaveText(/Now\s*6\s*6\s*6\s*6\s*6/);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe('device-status-Northwind-Backup-30-days.csv');
  const lines = readFileSync((await csv.path()) ?? '', 'utf8')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('Day,Counted at (UTC),OK,Warning,Failed,Offline,Never backed up');
  expect(lines.at(-1)).toMatch(/^Now,\d{4}-\d\d-\d\dT[\d:.]+Z,6,6,6,6,6$/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(
    readFileSync((await png.path()) ?? '')
      .subarray(1, 4)
      .toString('latin1'),
  ).toBe('PNG');

  expect(await axeProblems(page)).toEqual([]);

  // A figure opens the list it counts, already filtered: the same number of devices.
  await page.getByTestId('tile-backup-older').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await expect(page.getByLabel('Last backup')).toHaveValue('older');
  await expect.poll(() => deviceCount(page)).toBe(24);
  await page.goBack();
  await page.getByTestId('tile-status-failed').click();
  await expect(page.getByRole('search', { name: 'Filter devices' }).getByRole('button', { name: /^Status / })).toHaveText(/^Failed\W*$/);
  await expect(page.getByLabel('Last backup')).toHaveValue('');
  await expect.poll(() => deviceCount(page)).toBe(6);

  // The device panel shows the status timeline.
  await devicesTable(page).getByRole('button', { name: 'dev-0003' }).click();
  const timeline = page.getByRole('list', { name: 'Status history, newest first' });
  await expect(timeline.getByRole('listitem')).toHaveCount(1);
  await expect(timeline).toContainText(/recorded as\s*✖?\s*Failed/);
});
