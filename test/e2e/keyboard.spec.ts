import { expect, test } from './console';
import { devicesTable, fleet, fleetCsv, importFleet, openDevices } from './devices-steps';
import { OWNER, setUpOwner } from './owner';

test('issue 15 keyboard: skip link, a device panel opened with Enter takes focus, Escape closes it', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  await openDevices(page);
  await importFleet(page, 'fleet.csv', fleetCsv(fleet(6), OWNER.organization), 6);

  // The first Tab offers the skip link; following it puts focus on the screen, past the header and navigation.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();

  const link = devicesTable(page).getByRole('button', { name: 'dev-0003' });
  await link.focus();
  await page.keyboard.press('Enter');
  const title = page.getByRole('heading', { level: 2, name: 'dev-0003' });
  await expect(title).toBeFocused();
  await expect(page).toHaveURL(/#\/devices\/[^/]+$/);

  // The panel shows the id with a copy button, and who can see the device.
  const panel = page.getByRole('complementary', { name: 'dev-0003' });
  await expect(panel.getByTestId('object-id')).toHaveText(/\S+/);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(page).toHaveURL(/#\/devices$/);

  await link.press('Enter');
  const id = (await panel.getByTestId('object-id').textContent()) ?? '';
  await panel.getByRole('link', { name: 'Who can access this' }).click();
  await expect(page).toHaveURL(new RegExp(`#/access\\?who=device%3A${id}|#/access\\?who=device:${id}`));
  await expect(page.getByRole('heading', { name: 'Who can' })).toBeVisible();
  await expect(page.getByText(OWNER.fullName).last()).toBeVisible();
});

test('issue 15: the focus ring has at least 3:1 contrast with the page behind it', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  const ring = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--focus').trim());
  const channel = (hex: string, at: number) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (hi + 0.05) / (lo + 0.05);
  };
  expect(ring).toMatch(/^#[0-9a-f]{6}$/i);
  for (const background of ['#ffffff', '#f5f6f8']) expect(contrast(ring, background)).toBeGreaterThanOrEqual(3);
});
