import type { Browser, Page } from '@playwright/test';
import { expect, test } from './console';
import { importFleet, fleet, fleetCsv, openDevices, devicesTable } from './devices-steps';
import { OWNER, setUpOwner, signInWithPassword } from './owner';
import { openRoles } from './roles-steps';
import { signInWithCode } from './team-steps';

/** A fresh browser (no cookies) opening a copied link: it asks to sign in first, then shows what the link names. */
async function openLinkSignedOut(browser: Browser, link: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  return page;
}

async function signInWithRecoveryCode(page: Page, recoveryCode: string) {
  await signInWithPassword(page, OWNER.username, OWNER.password);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('issue 15: a device, a role and an audit event each have a link that lands on them after signing in', async ({
  page,
  steward,
  browser,
}) => {
  const { secret, recoveryCodes } = await setUpOwner(page, steward.url);
  await openDevices(page);
  await importFleet(page, 'fleet.csv', fleetCsv(fleet(12), OWNER.organization), 12);

  // Opening a device puts its address in the window's URL.
  await devicesTable(page).getByRole('button', { name: 'dev-0007' }).click();
  await expect(page).toHaveURL(/#\/devices\/[^/]+$/);
  const deviceLink = page.url();
  await expect(page.getByRole('heading', { level: 2, name: 'dev-0007' })).toBeVisible();

  await openRoles(page);
  await page.getByRole('button', { name: 'Open Operator' }).click();
  await expect(page).toHaveURL(/#\/roles\/[^/]+$/);
  const roleLink = page.url();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit', exact: true }).click();
  const firstRow = page.locator('tr.audit-row').last();
  const seq = (await firstRow.getAttribute('data-seq')) ?? '';
  await firstRow.getByRole('link', { name: `Event ${seq} on its own page` }).click();
  await expect(page).toHaveURL(new RegExp(`#/audit/events/${seq}$`));
  const eventLink = page.url();
  const action = (await page.locator('#audit-event-title code').textContent()) ?? '';

  const devicePage = await openLinkSignedOut(browser, deviceLink);
  await signInWithCode(devicePage, OWNER.username, OWNER.password, secret);
  await expect(devicePage.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
  await expect(devicePage.getByRole('heading', { level: 2, name: 'dev-0007' })).toBeVisible();
  await expect(devicePage).toHaveURL(deviceLink);

  const rolePage = await openLinkSignedOut(browser, roleLink);
  await signInWithRecoveryCode(rolePage, recoveryCodes[0] ?? '');
  await expect(rolePage.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();
  await expect(rolePage.getByRole('heading', { level: 2, name: 'Operator', exact: true })).toBeVisible();

  const eventPage = await openLinkSignedOut(browser, eventLink);
  await signInWithRecoveryCode(eventPage, recoveryCodes[1] ?? '');
  await expect(eventPage.getByRole('heading', { level: 2, name: `Event #${seq}: ${action}` })).toBeVisible();
});

test('issue 15: Back, Forward and reload keep the place; Team opens the list, not the last member', async ({ page, steward }) => {
  await setUpOwner(page, steward.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Team', exact: true }).click();
  await page.getByRole('table', { name: 'Members' }).getByRole('button', { name: OWNER.username, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: OWNER.fullName })).toBeVisible();
  await expect(page).toHaveURL(/#\/team\/people\/[^/]+$/);

  await nav.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: OWNER.fullName })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await page.goBack();

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: OWNER.fullName })).toBeVisible();

  await nav.getByRole('link', { name: 'Team', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Members' })).toBeVisible();
  await expect(page).toHaveURL(/#\/team$/);

  // The bare address opens the first screen; an unknown one says so instead of a blank page.
  await page.goto(`${steward.url}#/no-such-screen`);
  await expect(page.getByRole('heading', { name: 'Nothing at this address' })).toBeVisible();
});
