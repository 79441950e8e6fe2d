import type { Locator, Page } from '@playwright/test';
import { asPage } from './api-steps';
import { expect, test } from './console';
import { devicesTable, expectDeviceCount, fleet, fleetCsv, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';

/**
 * Issue 17 in the browser. A million rows of 41 px are taller than a browser lets an element
 * be, so the grid caps its scroll area and scales scrolling onto the whole list
 * (renderer/src/devices/scaled-scroll.ts). A million devices would take minutes to import
 * here, so this test lowers the cap through the documented override (`window.stewardMaxScrollPx`,
 * MAX_SCROLL_PX's doc) to 60,000 px: 3,000 rows then need twice the area the grid may make,
 * exactly the situation of a million rows under the real cap.
 */
const ROWS = 3_000;
const CAP_PX = 60_000;
const ROW_PX = 41;

async function importFleetDirectly(page: Page, size: number): Promise<void> {
  await asPage(page, 'devices.import', { format: 'csv', content: fleetCsv(fleet(size), OWNER.organization), mode: 'all-or-nothing' });
}

/** The aria-rowindex of every device row the region shows now, in order. */
async function shownRowIndexes(region: Locator): Promise<number[]> {
  return region.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const head = el.querySelector('thead')?.getBoundingClientRect().bottom ?? box.top;
    return [...el.querySelectorAll<HTMLElement>('tr.device-row')]
      .filter((row) => {
        const r = row.getBoundingClientRect();
        return r.bottom > head + 1 && r.top < box.bottom - 1;
      })
      .map((row) => Number(row.getAttribute('aria-rowindex')));
  });
}

test('devices: every row is reachable when the list is taller than the scroll area may be, by scrolling and by keyboard', async ({
  page,
  steward,
}) => {
  await page.addInitScript((cap) => {
    (window as unknown as { stewardMaxScrollPx: number }).stewardMaxScrollPx = cap;
  }, CAP_PX);
  await setUpOwner(page, steward.url);
  await importFleetDirectly(page, ROWS);
  await openDevices(page);
  await expectDeviceCount(page, ROWS);
  const table = devicesTable(page);
  const region = page.getByRole('region', { name: 'Devices (scrolls)' });
  await expect(table).toHaveAttribute('aria-rowcount', String(ROWS + 1));
  await expect(table.getByRole('row', { name: /dev-0001/ })).toBeVisible();

  // The area is capped: scrolling it whole must still cover every row.
  const height = await region.evaluate((el) => el.scrollHeight);
  expect(height).toBeLessThan(ROWS * ROW_PX);

  // The scrollbar dragged to its end shows the last device, at its place for screen readers.
  await region.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const lastRow = table.locator(`tr[aria-rowindex="${ROWS + 1}"]`);
  await expect(lastRow).toContainText(`dev-${String(ROWS).padStart(4, '0')}`);
  await expect(lastRow).toBeInViewport();

  // Home and End from the keyboard, and Ctrl+End.
  await region.focus();
  await page.keyboard.press('Home');
  await expect(table.locator('tr[aria-rowindex="2"]')).toBeInViewport();
  await page.keyboard.press('End');
  await expect(lastRow).toBeInViewport();
  await page.keyboard.press('Home');
  await page.keyboard.press('Control+End');
  await expect(lastRow).toBeInViewport();

  // A page down moves one view of rows, skipping none, though a scrolled pixel is two rows' worth of pixels here.
  await page.keyboard.press('Home');
  await expect(table.locator('tr[aria-rowindex="2"]')).toBeInViewport();
  const before = await shownRowIndexes(region);
  await page.keyboard.press('PageDown');
  await expect.poll(async () => (await shownRowIndexes(region))[0] ?? 0).toBeGreaterThan(before[0] ?? 0);
  const after = await shownRowIndexes(region);
  expect(after[0]).toBeLessThanOrEqual((before.at(-1) ?? 0) + 1);

  // "Select all N matching" reaches the rows at the far end too.
  await page.getByRole('button', { name: `Select all ${ROWS.toLocaleString('en-US')} matching devices` }).click();
  await expect(page.getByTestId('devices-selected')).toHaveText(`All ${ROWS.toLocaleString('en-US')} matching devices selected`);
  await region.focus();
  await page.keyboard.press('End');
  await expect(lastRow.getByRole('checkbox')).toBeChecked();
});

test('devices: the first rows show while the filter counts are still on their way', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  await importFleetDirectly(page, 30);
  const asked: string[] = [];
  page.on('request', (request) => {
    const op = /\/api\/(devices\.(?:list|facets))$/.exec(new URL(request.url()).pathname)?.[1];
    if (op) asked.push(op);
  });
  // The counts are held back until the test lets them go.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let facetsAnswered = false;
  await page.route('**/api/devices.facets', async (route) => {
    await held;
    await route.continue();
    facetsAnswered = true;
  });

  await openDevices(page);
  await expect(devicesTable(page).getByRole('row', { name: /dev-0001/ })).toBeVisible();
  expect(facetsAnswered).toBe(false);
  // The Kind filter offers its values at once, their counts once they come.
  const filters = page.getByRole('search', { name: 'Filter devices' });
  await filters.getByRole('button', { name: /^Kind / }).click();
  const kind = filters.getByRole('group', { name: 'Kind', exact: true });
  await expect(kind.getByRole('checkbox', { name: 'Workstation', exact: true })).toHaveCount(1);

  release();
  await expect(kind.getByRole('checkbox', { name: /^Workstation \(\d+\)$/ })).toHaveCount(1);
  expect(facetsAnswered).toBe(true);
  // Rows are asked for first; the counts after them.
  expect(asked.indexOf('devices.list')).toBeLessThan(asked.indexOf('devices.facets'));
  expect(asked.indexOf('devices.list')).toBeGreaterThanOrEqual(0);
});
